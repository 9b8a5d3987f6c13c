namespace Microsoft.ML.Causal.Inference;

/// <summary>
/// θ̂ = Σᵢ aᵢ / Σᵢ bᵢ with the sandwich standard error of its influence function (aᵢ − bᵢθ̂)/b̄, summed within
/// clusters: SE² = Σ_c (Σ_{i∈c} (aᵢ − bᵢθ̂))² / (Σᵢ bᵢ)² · C/(C − 1), C the number of clusters (each row its own
/// cluster without ids). Every AIPW-type estimand (ATE, ATT, ATC, overlap) and the Hájek IPW means take this form.
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
        double sum = 0;
        int groups;
        if (clusters.IsEmpty)
        {
            for (var i = 0; i < a.Length; i++)
            {
                var d = a[i] - b[i] * theta;
                sum += d * d;
            }
            groups = a.Length;
        }
        else
        {
            var totals = new Dictionary<int, double>();
            for (var i = 0; i < a.Length; i++)
                totals[clusters[i]] = totals.GetValueOrDefault(clusters[i]) + (a[i] - b[i] * theta);
            foreach (var v in totals.Values)
                sum += v * v;
            groups = totals.Count;
        }
        if (groups < 2)
            throw new InvalidOperationException("A standard error needs at least two clusters (or rows) in the target population.");
        return (theta, Math.Sqrt(sum / (sb * sb) * groups / (groups - 1)));
    }
}
