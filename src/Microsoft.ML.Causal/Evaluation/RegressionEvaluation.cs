namespace Microsoft.ML.Causal.Evaluation;

/// <summary>Fit of predictions to labels: root mean squared error, mean absolute error and R² (1 − SSE / SST), weighted when weights are given.</summary>
/// <param name="Rmse">√(Σ w (y − ŷ)² / Σ w).</param>
/// <param name="Mae">Σ w |y − ŷ| / Σ w.</param>
/// <param name="RSquared">1 − Σ w (y − ŷ)² / Σ w (y − ȳ)² (see remarks for constant labels).</param>
/// <param name="Count">Rows evaluated.</param>
/// <remarks>With constant labels SST is 0 and R² is undefined; it is then reported as 1 when every prediction is exact and 0 otherwise.</remarks>
public sealed record RegressionEvaluation(double Rmse, double Mae, double RSquared, int Count)
{
    /// <summary>Computes the metrics.</summary>
    /// <exception cref="ArgumentException">Lengths differ, there are no rows, or a value is not finite.</exception>
    public static RegressionEvaluation Compute(ReadOnlySpan<double> labels, ReadOnlySpan<double> predictions, ReadOnlySpan<double> weights = default)
    {
        MetricChecks.Check(labels, predictions, weights);
        double sw = 0, swy = 0, sse = 0, sae = 0;
        for (var i = 0; i < labels.Length; i++)
        {
            var w = weights.IsEmpty ? 1 : weights[i];
            var e = labels[i] - predictions[i];
            sw += w;
            swy += w * labels[i];
            sse += w * e * e;
            sae += w * Math.Abs(e);
        }
        var mean = swy / sw;
        double sst = 0;
        for (var i = 0; i < labels.Length; i++)
        {
            var d = labels[i] - mean;
            sst += (weights.IsEmpty ? 1 : weights[i]) * d * d;
        }
        var r2 = sst > 0 ? 1 - sse / sst : sse == 0 ? 1 : 0;
        return new RegressionEvaluation(Math.Sqrt(sse / sw), sae / sw, r2, labels.Length);
    }
}
