using MathNet.Numerics.Distributions;

namespace Microsoft.ML.Causal.Inference;

/// <summary>An average treatment effect of one arm against control, with its standard error.</summary>
/// <param name="Arm">The arm (for a continuous treatment, the treatment column).</param>
/// <param name="Estimand">The population averaged over.</param>
/// <param name="Method">How it was estimated (e.g. "aipw").</param>
/// <param name="Estimate">The estimate.</param>
/// <param name="StandardError">Its standard error (cluster-robust when clusters were given).</param>
/// <param name="Count">Rows the estimate rests on.</param>
public sealed record AverageEffect(string Arm, Estimand Estimand, string Method, double Estimate, double StandardError, int Count)
{
    /// <summary>The two-sided normal interval at <paramref name="level"/> (default 95 %).</summary>
    public (double Lower, double Upper) Interval(double level = 0.95)
    {
        var z = Quantile(level);
        return (Estimate - z * StandardError, Estimate + z * StandardError);
    }

    /// <summary>The standard normal quantile for a two-sided interval at <paramref name="level"/>.</summary>
    public static double Quantile(double level)
    {
        if (!(level > 0 && level < 1))
            throw new ArgumentOutOfRangeException(nameof(level), level, "The interval level must lie strictly between 0 and 1 (e.g. 0.95).");
        return Normal.InvCDF(0, 1, 0.5 + level / 2);
    }

    /// <inheritdoc />
    public override string ToString()
    {
        var (lo, hi) = Interval();
        return FormattableString.Invariant($"{Estimand} of {Arm} ({Method}): {Estimate:G4} (SE {StandardError:G3}; 95 % CI {lo:G4} … {hi:G4}; n = {Count})");
    }
}
