namespace Microsoft.ML.Causal.Forests.Prediction;

/// <summary>
/// The regression forest's estimate: leaf statistics (Σw·Y, Σw) / |leaf|; the forest-weighted mean
/// μ̂(x) = Ē[wY] / Ē[w], which equals Σᵢ αᵢ(x)wᵢYᵢ / Σᵢ αᵢ(x)wᵢ with grf's kernel weights αᵢ(x).
/// <paramref name="fallback"/> (the training mean) answers where every leaf reached has zero weight.
/// </summary>
internal sealed class RegressionPredictionStrategy(double fallback) : IPredictionStrategy
{
    public double Fallback => fallback;

    public int StatCount => 2;

    public int OutputCount => 1;

    public void LeafStatistics(ForestData data, ReadOnlySpan<int> rows, Span<double> stats)
    {
        double sy = 0, sw = 0;
        var y = data.Outcome;
        foreach (var r in rows)
        {
            var w = data.WeightOf(r);
            sy += w * y[r];
            sw += w;
        }
        stats[0] = sy / rows.Length;
        stats[1] = sw / rows.Length;
    }

    public void Predict(ReadOnlySpan<double> average, Span<double> output) =>
        output[0] = average[1] > 0 ? average[0] / average[1] : fallback;
}
