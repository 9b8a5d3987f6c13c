using System.Runtime.CompilerServices;
namespace Microsoft.ML.Causal.Forests.Splitting;

/// <summary>
/// grf's stabilized causal rule, for K treatment columns (K = 1: a binary or continuous treatment; K &gt; 1: the
/// centered one-hot arms of a multi-arm forest): CART on the K causal pseudo-outcomes, gain =
/// Σ_k (S_Lk²/W_L + S_Rk²/W_R − S_k²/W) − λ·Σ_k (1/size_Lk + 1/size_Rk) with size_Ck = Σ_C w(W_k − W̄_Ck)²,
/// allowed only when, for every k, each child has size_Ck ≥ alpha·size_parent,k and at least min.node.size rows
/// with W_k below the parent's W̄_k and as many at or above it (for one-hot arms: rows outside and inside arm k).
/// Per-row statistics: (1, w, wρ_1…wρ_K, wW′_1…wW′_K, wW′_1²…wW′_K², 1{W_1 &lt; W̄_1}…1{W_K &lt; W̄_K}) with
/// W′ = W − W̄ of the parent (the shift leaves the sizes unchanged and keeps their sums away from cancellation).
/// For K = 1 this is exactly the binary rule.
/// </summary>
internal sealed class CausalSplittingRule(int minNodeSize, double alpha, double imbalancePenalty, int treatmentCount = 1) : HistogramSplittingRule(2 + 4 * treatmentCount)
{
    private readonly double[] _minSize = new double[treatmentCount];
    private readonly double[] _mean = new double[treatmentCount];

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private protected override bool Prepare(NodeSamples node, Span<double> stats)
    {
        var k = treatmentCount;
        var stride = Stride;
        var n = node.Count;
        var w = node.Weight;
        var t = node.Treatment;
        var rho = node.Responses;
        double sw = 0;
        var mean = _mean.AsSpan();
        mean.Clear();
        for (var i = 0; i < n; i++)
        {
            sw += w[i];
            for (var j = 0; j < k; j++)
                mean[j] += w[i] * t[i * k + j];
        }
        if (!(sw > 0))
            return false;
        for (var j = 0; j < k; j++)
            mean[j] /= sw;
        var size = _minSize.AsSpan();
        size.Clear();
        for (var i = 0; i < n; i++)
        {
            var row = stats.Slice(stride * i, stride);
            row[0] = 1;
            row[1] = w[i];
            for (var j = 0; j < k; j++)
            {
                var d = t[i * k + j] - mean[j];
                size[j] += w[i] * d * d;
                row[2 + j] = w[i] * rho[i * k + j];
                row[2 + k + j] = w[i] * d;
                row[2 + 2 * k + j] = w[i] * d * d;
                row[2 + 3 * k + j] = t[i * k + j] < mean[j] ? 1 : 0;
            }
        }
        for (var j = 0; j < k; j++)
        {
            if (!(size[j] > 0))
                return false;
            size[j] *= alpha;
        }
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private protected override double Gain(ReadOnlySpan<double> left, ReadOnlySpan<double> total)
    {
        var k = treatmentCount;
        double nl = left[0], nr = total[0] - left[0];
        for (var j = 0; j < k; j++)
        {
            double bl = left[2 + 3 * k + j], br = total[2 + 3 * k + j] - left[2 + 3 * k + j];
            if (bl < minNodeSize || nl - bl < minNodeSize || br < minNodeSize || nr - br < minNodeSize)
                return double.NegativeInfinity;
        }
        double wl = left[1], wr = total[1] - left[1];
        if (!(wl > 0) || !(wr > 0))
            return double.NegativeInfinity;
        double sides = 0, parent = 0, penalty = 0;
        for (var j = 0; j < k; j++)
        {
            double dl = left[2 + k + j], dt = total[2 + k + j];
            var sizeLeft = left[2 + 2 * k + j] - dl * dl / wl;
            var sizeRight = total[2 + 2 * k + j] - left[2 + 2 * k + j] - (dt - dl) * (dt - dl) / wr;
            if (sizeLeft < _minSize[j] || sizeRight < _minSize[j] || !(sizeLeft > 0) || !(sizeRight > 0))
                return double.NegativeInfinity;
            sides += Score(left[2 + j], wl) + Score(total[2 + j] - left[2 + j], wr);
            parent += Score(total[2 + j], total[1]);
            penalty += 1 / sizeLeft + 1 / sizeRight;
        }
        var gain = sides - parent - imbalancePenalty * penalty;
        return Accept(gain, sides);
    }
}
