namespace Microsoft.ML.Causal.Numerics;

/// <summary>The logistic function and its log-partition, computed without overflow for large |η|.</summary>
internal static class LogisticMath
{
    /// <summary>σ(η) = 1 / (1 + e^{−η}).</summary>
    public static double Sigmoid(double eta)
    {
        if (eta >= 0)
            return 1 / (1 + Math.Exp(-eta));
        var e = Math.Exp(eta);
        return e / (1 + e);
    }

    /// <summary>log(1 + e^η).</summary>
    public static double Softplus(double eta) => eta > 0 ? eta + Math.Log(1 + Math.Exp(-eta)) : Math.Log(1 + Math.Exp(eta));
}
