using System.Runtime.CompilerServices;
namespace Microsoft.ML.Causal.Forests.Splitting;

/// <summary>
/// Weighted CART on the pseudo-outcomes (grf's regression rule): gain = S_L²/W_L + S_R²/W_R − S²/W −
/// λ·(1/n_L + 1/n_R), with S the weighted sum of ρ and W the weight of a side; each child needs at least
/// max(⌈alpha·n⌉, 1) rows. Serves the regression forest (ρ = Y) and the causal forest without stabilized splits.
/// Per-row statistics: (1, w, w(ρ − ρ̄)) with ρ̄ the node's weighted mean (the gain does not depend on the shift).
/// </summary>
internal sealed class RegressionSplittingRule(double alpha, double imbalancePenalty) : HistogramSplittingRule(3)
{
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
        double sw = 0, swr = 0;
        for (var i = 0; i < n; i++)
        {
            sw += w[i];
            swr += w[i] * rho[i];
        }
        if (!(sw > 0))
            return false;
        var mean = swr / sw;
        for (var i = 0; i < n; i++)
        {
            stats[3 * i] = 1;
            stats[3 * i + 1] = w[i];
            stats[3 * i + 2] = w[i] * (rho[i] - mean);
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
        var sides = Score(left[2], wl) + Score(total[2] - left[2], wr);
        var gain = sides - Score(total[2], total[1]) - imbalancePenalty * (1 / nl + 1 / nr);
        return Accept(gain, sides);
    }
}
