namespace Microsoft.ML.Causal.Inference;

/// <summary>
/// θ̂ = Σᵢ aᵢ / Σᵢ bᵢ with the sandwich standard error of its influence function ψᵢ = (aᵢ − bᵢθ̂)/Σb, summed within
/// clusters (see <see cref="StandardError"/>). Every AIPW-type estimand (ATE, ATT, ATC, overlap) and the Hájek IPW
/// means take this form.
/// </summary>
internal static class RatioEstimator
{
    public static (double Estimate, double StandardError) Compute(ReadOnlySpan<double> a, ReadOnlySpan<double> b, ReadOnlySpan<int> clusters)
    {
        double sa = 0, sb = 0;
        for (var i = 0; i < a.Length; i++)
        {
            sa += a[i];
            sb += b[i];
        }
        if (!(sb > 0))
            throw new InvalidOperationException("The estimate's weights sum to zero: no rows carry weight in the target population.");
        var theta = sa / sb;
        var influence = new double[a.Length];
        for (var i = 0; i < a.Length; i++)
            influence[i] = (a[i] - b[i] * theta) / sb;
        return (theta, StandardError(influence, clusters));
    }

    /// <summary>
    /// The cluster-robust standard error of an estimate whose influence on it of row i is ψᵢ (scaled so that the
    /// estimate's error is ≈ Σᵢ ψᵢ): SE² = C/(C − 1) · Σ_c (Σ_{i∈c} ψᵢ)², C the number of clusters (each row its own
    /// cluster without ids), as grf's <c>average_treatment_effect</c>.
    /// </summary>
    public static double StandardError(ReadOnlySpan<double> influence, ReadOnlySpan<int> clusters)
    {
        double sum = 0;
        int groups;
        if (clusters.IsEmpty)
        {
            foreach (var d in influence)
                sum += d * d;
            groups = influence.Length;
        }
        else
        {
            var totals = new Dictionary<int, double>();
            for (var i = 0; i < influence.Length; i++)
                totals[clusters[i]] = totals.GetValueOrDefault(clusters[i]) + influence[i];
            foreach (var v in totals.Values)
                sum += v * v;
            groups = totals.Count;
        }
        if (groups < 2)
            throw new InvalidOperationException("A standard error needs at least two clusters (or rows) in the target population.");
        return Math.Sqrt(sum * groups / (groups - 1));
    }
}
