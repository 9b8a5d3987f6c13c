using Microsoft.ML.Causal.Inference;

namespace Microsoft.ML.Causal.Evaluation;

/// <summary>The estimated gain in mean outcome of a treatment rule over a baseline rule, with its standard error.</summary>
/// <param name="Baseline">What the rule is compared with, e.g. "everyone on '0'".</param>
/// <param name="Estimate">The doubly robust estimate of E[Y(π(x))] − E[Y(baseline)].</param>
/// <param name="StandardError">Its standard error (cluster-robust when clusters were given).</param>
/// <param name="Count">Rows the estimate rests on.</param>
public sealed record PolicyGain(string Baseline, double Estimate, double StandardError, int Count)
{
    /// <summary>The two-sided normal interval at <paramref name="level"/> (default 95 %).</summary>
    public (double Lower, double Upper) Interval(double level = 0.95)
    {
        var z = AverageEffect.Quantile(level);
        return (Estimate - z * StandardError, Estimate + z * StandardError);
    }

    /// <inheritdoc />
    public override string ToString()
    {
        var (lo, hi) = Interval();
        return FormattableString.Invariant($"gain over {Baseline}: {Estimate:G4} (SE {StandardError:G3}; 95 % CI {lo:G4} … {hi:G4}; n = {Count})");
    }
}
