using System.Runtime.CompilerServices;
namespace Microsoft.ML.Causal.Forests.Splitting;

/// <summary>
/// Weighted CART on the pseudo-outcomes (grf's regression rule): gain = S_L²/W_L + S_R²/W_R − S²/W −
/// λ·(1/n_L + 1/n_R), with S the weighted sum of ρ and W the weight of a side; each child needs at least
/// max(⌈alpha·n⌉, 1) rows. Serves the regression forest (ρ = Y) and the causal forest without stabilized splits.
/// With R pseudo-outcomes per row (a multi-arm forest) the squared-L2 criterion: the gain sums S²/W over the R.
/// Per-row statistics: (1, w, w(ρ_1 − ρ̄_1) … w(ρ_R − ρ̄_R)) with ρ̄ the node's weighted means (the gain does not
/// depend on the shift).
/// </summary>
internal sealed class RegressionSplittingRule(double alpha, double imbalancePenalty, int responseCount = 1) : HistogramSplittingRule(2 + responseCount)
{
    private readonly double[] _means = new double[responseCount];
    private double _minChild;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private protected override bool Prepare(NodeSamples node, Span<double> stats)
    {
        var n = node.Count;
        _minChild = Math.Max(Math.Ceiling(alpha * n), 1);
        var w = node.Weight;
        var rho = node.Responses;
        // Center ρ on the node's weighted mean: the gain is then a sum of two squares rather than the small
        // difference of large ones, so it keeps its digits (and its argmax does not flip with the weights' scale).
        var r = responseCount;
        var stride = Stride;
        var mean = _means.AsSpan();
        mean.Clear();
        double sw = 0;
        for (var i = 0; i < n; i++)
        {
            sw += w[i];
            for (var k = 0; k < r; k++)
                mean[k] += w[i] * rho[i * r + k];
        }
        if (!(sw > 0))
            return false;
        for (var k = 0; k < r; k++)
            mean[k] /= sw;
        for (var i = 0; i < n; i++)
        {
            stats[stride * i] = 1;
            stats[stride * i + 1] = w[i];
            for (var k = 0; k < r; k++)
                stats[stride * i + 2 + k] = w[i] * (rho[i * r + k] - mean[k]);
        }
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private protected override double Gain(ReadOnlySpan<double> left, ReadOnlySpan<double> total)
    {
        double nl = left[0], nr = total[0] - left[0];
        double wl = left[1], wr = total[1] - left[1];
        if (nl < _minChild || nr < _minChild || !(wl > 0) || !(wr > 0))
            return double.NegativeInfinity;
        double sides = 0, parent = 0;
        for (var k = 0; k < responseCount; k++)
        {
            sides += Score(left[2 + k], wl) + Score(total[2 + k] - left[2 + k], wr);
            parent += Score(total[2 + k], total[1]);
        }
        var gain = sides - parent - imbalancePenalty * (1 / nl + 1 / nr);
        return Accept(gain, sides);
    }
}
