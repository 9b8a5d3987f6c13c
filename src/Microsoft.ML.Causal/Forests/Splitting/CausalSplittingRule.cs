using System.Runtime.CompilerServices;
namespace Microsoft.ML.Causal.Forests.Splitting;

/// <summary>
/// grf's stabilized causal rule: CART on the causal pseudo-outcomes, gain = S_L²/W_L + S_R²/W_R − S²/W −
/// λ·(1/size_L + 1/size_R) with size_C = Σ_C w(W − W̄_C)², allowed only when each child has size_C ≥
/// alpha·size_parent and at least min.node.size rows with W below the parent's W̄ and as many at or above it.
/// Per-row statistics: (1, w, wρ, wW′, wW′², 1{W &lt; W̄}) with W′ = W − W̄ of the parent (the shift leaves the
/// sizes unchanged and keeps their sums away from cancellation).
/// </summary>
internal sealed class CausalSplittingRule(int minNodeSize, double alpha, double imbalancePenalty) : HistogramSplittingRule(6)
{
    private double _minSize;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private protected override bool Prepare(NodeSamples node, Span<double> stats)
    {
        var n = node.Count;
        var w = node.Weight;
        var t = node.Treatment;
        var rho = node.Responses;
        double sw = 0, st = 0;
        for (var i = 0; i < n; i++)
        {
            sw += w[i];
            st += w[i] * t[i];
        }
        if (!(sw > 0))
            return false;
        var mean = st / sw;
        double size = 0;
        for (var i = 0; i < n; i++)
        {
            var d = t[i] - mean;
            size += w[i] * d * d;
            var row = stats.Slice(6 * i, 6);
            row[0] = 1;
            row[1] = w[i];
            row[2] = w[i] * rho[i];
            row[3] = w[i] * d;
            row[4] = w[i] * d * d;
            row[5] = t[i] < mean ? 1 : 0;
        }
        _minSize = alpha * size;
        return size > 0;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private protected override double Gain(ReadOnlySpan<double> left, ReadOnlySpan<double> total)
    {
        double nl = left[0], nr = total[0] - left[0];
        double bl = left[5], br = total[5] - left[5];
        if (bl < minNodeSize || nl - bl < minNodeSize || br < minNodeSize || nr - br < minNodeSize)
            return double.NegativeInfinity;
        double wl = left[1], wr = total[1] - left[1];
        if (!(wl > 0) || !(wr > 0))
            return double.NegativeInfinity;
        var sizeLeft = left[4] - left[3] * left[3] / wl;
        var sizeRight = total[4] - left[4] - (total[3] - left[3]) * (total[3] - left[3]) / wr;
        if (sizeLeft < _minSize || sizeRight < _minSize || !(sizeLeft > 0) || !(sizeRight > 0))
            return double.NegativeInfinity;
        var sides = Score(left[2], wl) + Score(total[2] - left[2], wr);
        var gain = sides - Score(total[2], total[1]) - imbalancePenalty * (1 / sizeLeft + 1 / sizeRight);
        return Accept(gain, sides);
    }
}
