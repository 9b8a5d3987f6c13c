using System.Runtime.CompilerServices;
using Microsoft.ML.Causal.Learners.Trees;

namespace Microsoft.ML.Causal.Forests.Splitting;

/// <summary>
/// The split search every rule shares: per drawn feature, a histogram of the rule's per-row statistics over the
/// feature's bins, then one pass over the non-empty bins in ascending order. Each boundary between non-empty
/// bins is a candidate threshold, tried with the node's missing values on the left and on the right (MIA);
/// with missing values present, "every observed value left, every missing one right" is a candidate too. A
/// node without missing values sends future ones left (grf's default). Candidates are the quantile bins of the
/// training data rather than every distinct value (grf): the same candidates for features with at most 255
/// distinct values, and at most 254 per feature otherwise.
/// </summary>
internal abstract class HistogramSplittingRule : ISplittingRule
{
    private readonly NodeHistogram _histogram;
    private readonly double[] _total;
    private readonly double[] _left;
    private readonly double[] _withMissing;
    private double[] _stats = [];

    private protected HistogramSplittingRule(int stride)
    {
        _histogram = new NodeHistogram(stride);
        _total = new double[stride];
        _left = new double[stride];
        _withMissing = new double[stride];
    }

    /// <summary>Statistics per row; the first must be 1 (the row count).</summary>
    private protected int Stride => _histogram.Stride;

    /// <summary>Writes each position's statistics (Stride per position, the first 1) and prepares the node's constants; false when the node cannot split.</summary>
    private protected abstract bool Prepare(NodeSamples node, Span<double> stats);

    /// <summary>The gain of sending the rows summed in <paramref name="left"/> left and the rest of <paramref name="total"/> right, or −∞ when the split is not allowed.</summary>
    private protected abstract double Gain(ReadOnlySpan<double> left, ReadOnlySpan<double> total);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public Split? FindBestSplit(BinnedMatrix data, ReadOnlySpan<int> rows, NodeSamples node, ReadOnlySpan<int> features)
    {
        var s = Stride;
        var n = node.Count;
        if (_stats.Length < n * s)
            _stats = new double[Math.Max(n * s, 2 * _stats.Length)];
        var stats = _stats.AsSpan(0, n * s);
        if (!Prepare(node, stats))
            return null;
        var total = _total.AsSpan();
        total.Clear();
        for (var i = 0; i < n; i++)
        {
            for (var k = 0; k < s; k++)
                total[k] += stats[i * s + k];
        }
        Split? best = null;
        foreach (var j in features)
        {
            var binCount = data.Binnings[j].BinCount;
            var order = _histogram.Build(data.Columns[j], rows, stats, binCount);
            var missing = _histogram.Cell(0);
            var hasMissing = missing[0] > 0;
            var left = _left.AsSpan();
            left.Clear();
            for (var k = 0; k < order.Length; k++)
            {
                var cell = _histogram.Cell(order[k]);
                for (var m = 0; m < s; m++)
                    left[m] += cell[m];
                var last = k == order.Length - 1;
                if (!last || hasMissing)
                {
                    // Missing values right; at the last value bin this is "observed left, missing right", whose
                    // threshold is the feature's last bin (+∞), so every observed value goes left at prediction.
                    var gain = Gain(left, total);
                    if (gain > 0 && (best is null || Better(gain, best.Value.Gain)))
                        best = new Split(j, last ? binCount : order[k], !hasMissing, gain);
                }
                if (hasMissing && !last)
                {
                    var both = _withMissing.AsSpan();
                    for (var m = 0; m < s; m++)
                        both[m] = left[m] + missing[m];
                    var gain = Gain(both, total);
                    if (gain > 0 && (best is null || Better(gain, best.Value.Gain)))
                        best = new Split(j, order[k], true, gain);
                }
            }
        }
        return best;
    }

    /// <summary>
    /// Whether a gain beats the best so far by more than rounding: two features that cut a node into the same
    /// rows give the same gain summed in different orders, and without the margin the last bits — which move with
    /// the scale of the weights — would choose between them. Ties keep the first candidate in draw order.
    /// </summary>
    private static bool Better(double gain, double best) => gain > best + 1e-12 * Math.Abs(best);

    /// <summary>Σ²/W of a side, or of the whole node, from a weighted sum and a weight.</summary>
    private protected static double Score(double sum, double weight) => sum * sum / weight;

    /// <summary>A gain is accepted only when it exceeds rounding noise of the two sides' scores.</summary>
    private protected static double Accept(double gain, double scale) => gain > 1e-12 * scale ? gain : double.NegativeInfinity;
}
