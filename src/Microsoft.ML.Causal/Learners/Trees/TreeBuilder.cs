using System.Buffers;
using System.Collections.Concurrent;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Microsoft.ML.Causal.Numerics;

namespace Microsoft.ML.Causal.Learners.Trees;

/// <summary>
/// Grows one tree on binned features from per-row gradients and hessians, leaf-wise: each leaf keeps the
/// histogram of its rows (per feature and bin: sums of gradient, hessian and row count; with unit hessians the
/// count is the hessian sum and is kept once) and its best split;
/// the leaf with the largest gain is split next. Only the smaller child's histogram is built from rows; the
/// larger one is the parent's minus it. Missing values (bin 0) go to whichever side gains more. Work is
/// parallel over features, and every reduction runs in feature order, so the tree never depends on the thread count.
/// </summary>
internal sealed class TreeBuilder
{
    private const int Bins = 256;
    private const int ParallelRows = 32_768;
    private const int SmallLeaf = 48;         // below this many rows a leaf sorts its rows instead of keeping a histogram
    private readonly BinnedMatrix _data;
    private readonly TreeGrowthOptions _options;
    private readonly ParallelOptions _parallel;
    private readonly ConcurrentBag<Histogram>[] _pool = [new(), new()]; // by layout: unit hessians, general

    public TreeBuilder(BinnedMatrix data, TreeGrowthOptions options, ParallelOptions parallel)
    {
        _data = data;
        _options = options;
        _parallel = parallel;
    }

    /// <summary>The grown tree, and for each leaf the rows (positions in <paramref name="rows"/>, which is reordered) it holds.</summary>
    /// <param name="rows">The rows to grow on (reordered: each leaf's rows end up contiguous).</param>
    /// <param name="gradients">Per row of the matrix, the loss gradient.</param>
    /// <param name="hessians">Per row of the matrix, the loss hessian.</param>
    /// <param name="featureMask">The features this tree may use.</param>
    /// <param name="random">The tree's random stream (feature draws per node).</param>
    /// <param name="unitHessians">Every hessian is exactly 1 (squared loss, no weights): the kernel then counts rows and copies the counts into the hessian sums, saving one update per row and feature.</param>
    public (RegressionTree Tree, int[] LeafBegin, int[] LeafEnd) Grow(int[] rows, double[] gradients, double[] hessians, bool[] featureMask, CausalRandom random, bool unitHessians = false)
    {
        var p = _data.FeatureCount;
        var leaves = new List<Leaf>();
        var nodes = new List<Node>();
        var root = new Leaf(0, rows.Length, 0, -1, false);
        if (rows.Length >= SmallLeaf)
        {
            root.Histogram = Rent(p, unitHessians);
            BuildHistogram(root, rows, gradients, hessians, featureMask, unitHessians);
        }
        Totals(root, featureMask, rows, gradients, hessians);
        root.Best = FindBestSplit(root, NodeFeatures(featureMask, random), rows, gradients, hessians);
        leaves.Add(root);
        var scratch = ArrayPool<int>.Shared.Rent(rows.Length);
        try
        {
            // With a leaf budget, split the leaf of largest gain next (leaf-wise). Without one, every splittable
            // leaf is split in the end, so the order does not change the tree: go depth-first, which keeps only
            // O(depth) histograms alive.
            var unbounded = _options.MaxLeaves == int.MaxValue;
            var pending = new Stack<int>();
            pending.Push(0);
            while (leaves.Count < _options.MaxLeaves)
            {
                var index = -1;
                if (unbounded)
                {
                    while (pending.Count > 0 && index < 0)
                    {
                        var candidate = pending.Pop();
                        if (leaves[candidate].Best is not null)
                            index = candidate;
                        else
                        {
                            Return(leaves[candidate].Histogram);
                            leaves[candidate].Histogram = null;
                        }
                    }
                }
                else
                {
                    for (var i = 0; i < leaves.Count; i++)
                    {
                        if (leaves[i].Best is { } s && (index < 0 || s.Gain > leaves[index].Best!.Value.Gain))
                            index = i;
                    }
                }
                if (index < 0)
                    break;
                var leaf = leaves[index];
                var split = leaf.Best!.Value;
                var middle = Partition(rows, scratch, leaf, split);
                var nodeIndex = nodes.Count;
                nodes.Add(new Node(split, ~index, ~leaves.Count));
                if (leaf.Parent >= 0)
                    nodes[leaf.Parent] = leaf.IsLeft ? nodes[leaf.Parent] with { Left = nodeIndex } : nodes[leaf.Parent] with { Right = nodeIndex };

                var left = new Leaf(leaf.Begin, middle, leaf.Depth + 1, nodeIndex, true);
                var right = new Leaf(middle, leaf.End, leaf.Depth + 1, nodeIndex, false);
                var (small, large) = left.Count <= right.Count ? (left, right) : (right, left);
                if (leaf.Histogram is not null && large.Count >= SmallLeaf)
                {
                    small.Histogram = Rent(p, unitHessians);
                    BuildHistogram(small, rows, gradients, hessians, featureMask, unitHessians);
                    large.Histogram = leaf.Histogram; // parent − small, in place
                    Subtract(large.Histogram!, small.Histogram, featureMask);
                }
                else
                {
                    Return(leaf.Histogram); // both children are small: they find splits by sorting their rows
                }
                leaf.Histogram = null;
                foreach (var child in new[] { left, right })
                {
                    Totals(child, featureMask, rows, gradients, hessians);
                    var canSplit = _options.MaxDepth <= 0 || child.Depth < _options.MaxDepth;
                    child.Best = canSplit ? FindBestSplit(child, NodeFeatures(featureMask, random), rows, gradients, hessians) : null;
                }
                leaves[index] = left;
                leaves.Add(right);
                if (unbounded)
                {
                    pending.Push(leaves.Count - 1);
                    pending.Push(index);
                }
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(scratch);
            foreach (var leaf in leaves)
                Return(leaf.Histogram);
        }

        var leafValues = leaves.Select(l => -l.G / (l.H + _options.L2)).ToArray();
        var tree = new RegressionTree(
            nodes.Select(n => n.Split.Feature).ToArray(),
            nodes.Select(n => _data.Binnings[n.Split.Feature].UpperBounds[n.Split.Bin - 1]).ToArray(),
            nodes.Select(n => (byte)n.Split.Bin).ToArray(),
            nodes.Select(n => n.Split.MissingLeft).ToArray(),
            nodes.Select(n => n.Left).ToArray(),
            nodes.Select(n => n.Right).ToArray(),
            nodes.Select(n => n.Split.Gain).ToArray(),
            leafValues);
        return (tree, leaves.Select(l => l.Begin).ToArray(), leaves.Select(l => l.End).ToArray());
    }

    private bool[] NodeFeatures(bool[] treeMask, CausalRandom random)
    {
        if (_options.FeatureFractionPerNode >= 1)
            return treeMask;
        var candidates = Enumerable.Range(0, treeMask.Length).Where(j => treeMask[j]).ToArray();
        var take = Math.Max(1, (int)Math.Round(_options.FeatureFractionPerNode * candidates.Length));
        random.Shuffle(candidates.AsSpan());
        var mask = new bool[treeMask.Length];
        foreach (var j in candidates.AsSpan(0, take))
            mask[j] = true;
        return mask;
    }

    /// <summary>
    /// Sums the leaf's rows into its histogram. The active features are cut into one run per worker; a worker
    /// passes over the leaf's rows once per four of its features. Every feature's sums are taken in row order by
    /// one worker, so they never depend on the thread count.
    /// </summary>
    private void BuildHistogram(Leaf leaf, int[] rows, double[] gradients, double[] hessians, bool[] featureMask, bool unitHessians)
    {
        var active = ActiveFeatures(featureMask);
        var histogram = leaf.Histogram!;
        var workers = Math.Min(active.Length, _parallel.MaxDegreeOfParallelism > 0 ? _parallel.MaxDegreeOfParallelism : Environment.ProcessorCount);
        if (leaf.Count < ParallelRows)
            workers = 1; // below this many rows, handing work to threads costs more than it saves
        var count = leaf.Count;
        var first = rows[leaf.Begin];
        if (IsRun(rows, leaf.Begin, count))
        {
            // The rows are first, first + 1, …: read the gradients and hessians in place (the root of an unsampled tree).
            if (unitHessians)
                Run(workers, active, features => Accumulate<UnitCells>(histogram, rows, leaf.Begin, count, gradients, gradients, first, features));
            else
                Run(workers, active, features => Accumulate<SplitPairCells>(histogram, rows, leaf.Begin, count, gradients, hessians, first, features));
            return;
        }
        // Gather the leaf's gradients (and hessians, interleaved) once, so that every pass reads them in sequence
        // (only the byte of the bin is then read at a scattered row).
        var width = unitHessians ? 1 : 2;
        var source = ArrayPool<double>.Shared.Rent(width * count);
        ref var rowList = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(rows), leaf.Begin);
        ref var g = ref MemoryMarshal.GetArrayDataReference(gradients);
        ref var target = ref MemoryMarshal.GetArrayDataReference(source);
        if (unitHessians)
        {
            for (var i = 0; i < count; i++)
                Unsafe.Add(ref target, i) = Unsafe.Add(ref g, Unsafe.Add(ref rowList, i));
        }
        else
        {
            ref var h = ref MemoryMarshal.GetArrayDataReference(hessians);
            for (var i = 0; i < count; i++)
            {
                var r = Unsafe.Add(ref rowList, i);
                Unsafe.Add(ref target, 2 * i) = Unsafe.Add(ref g, r);
                Unsafe.Add(ref target, 2 * i + 1) = Unsafe.Add(ref h, r);
            }
        }
        try
        {
            if (unitHessians)
                Run(workers, active, features => Accumulate<UnitCells>(histogram, rows, leaf.Begin, count, source, source, 0, features));
            else
                Run(workers, active, features => Accumulate<PairCells>(histogram, rows, leaf.Begin, count, source, source, 0, features));
        }
        finally
        {
            ArrayPool<double>.Shared.Return(source);
        }
    }

    /// <summary>Runs <paramref name="work"/> on the active features: all on one thread, or cut into one contiguous run per worker.</summary>
    private void Run(int workers, int[] active, Action<int[]> work)
    {
        if (workers == 1)
        {
            work(active);
            return;
        }
        Parallel.For(0, workers, _parallel, w =>
        {
            var from = (int)((long)active.Length * w / workers);
            var to = (int)((long)active.Length * (w + 1) / workers);
            work(active[from..to]);
        });
    }

    /// <summary>Whether rows[begin … begin + count) are consecutive integers.</summary>
    private static bool IsRun(int[] rows, int begin, int count)
    {
        var first = rows[begin];
        for (var i = 1; i < count; i++)
        {
            if (rows[begin + i] != first + i)
                return false;
        }
        return true;
    }

    /// <summary>
    /// The histogram kernel: clear the features' cells, then add the leaf's i-th row (row <paramref name="rows"/>[begin + i])
    /// to the cell of its bin in each feature, four features per pass over the rows (the row index and its
    /// gradient are read once for the four, and the four updates are independent). A cell is updated with one
    /// vector add: (gradient, 1) with unit hessians, (gradient, hessian, 1, 0) otherwise, read from
    /// <paramref name="source"/> from <paramref name="sourceOffset"/> on (one double, or a pair, per row), or from
    /// <paramref name="source"/> and <paramref name="second"/> side by side (<see cref="SplitPairCells"/>).
    /// </summary>
    private void Accumulate<TCells>(Histogram histogram, int[] rows, int begin, int count, double[] source, double[] second, int sourceOffset, int[] features)
        where TCells : struct, ICells
    {
        foreach (var j in features)
            histogram.Of(j).Clear();
        ref var list = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(rows), begin);
        ref var values = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(source), sourceOffset);
        ref var more = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(second), sourceOffset);
        var k = 0;
        for (; k + 4 <= features.Length; k += 4)
            Pass4<TCells>(histogram, ref list, count, ref values, ref more, features[k], features[k + 1], features[k + 2], features[k + 3]);
        for (; k + 2 <= features.Length; k += 2)
            Pass2<TCells>(histogram, ref list, count, ref values, ref more, features[k], features[k + 1]);
        if (k < features.Length)
            Pass1<TCells>(histogram, ref list, count, ref values, ref more, features[k]);
    }

    // Indices are in range by construction (rows < n, bins < 256), so the passes skip bounds checks.
    private void Pass4<TCells>(Histogram histogram, ref int list, int count, ref double values, ref double more, int j0, int j1, int j2, int j3)
        where TCells : struct, ICells
    {
        ref var b0 = ref MemoryMarshal.GetArrayDataReference(_data.Columns[j0]);
        ref var b1 = ref MemoryMarshal.GetArrayDataReference(_data.Columns[j1]);
        ref var b2 = ref MemoryMarshal.GetArrayDataReference(_data.Columns[j2]);
        ref var b3 = ref MemoryMarshal.GetArrayDataReference(_data.Columns[j3]);
        ref var c0 = ref histogram.Cells(j0);
        ref var c1 = ref histogram.Cells(j1);
        ref var c2 = ref histogram.Cells(j2);
        ref var c3 = ref histogram.Cells(j3);
        for (nint i = 0; i < count; i++)
        {
            nint r = Unsafe.Add(ref list, i);
            var v = TCells.Value(ref values, ref more, i);
            TCells.Add(ref Unsafe.Add(ref c0, Unsafe.Add(ref b0, r) * TCells.Width), v);
            TCells.Add(ref Unsafe.Add(ref c1, Unsafe.Add(ref b1, r) * TCells.Width), v);
            TCells.Add(ref Unsafe.Add(ref c2, Unsafe.Add(ref b2, r) * TCells.Width), v);
            TCells.Add(ref Unsafe.Add(ref c3, Unsafe.Add(ref b3, r) * TCells.Width), v);
        }
    }

    private void Pass2<TCells>(Histogram histogram, ref int list, int count, ref double values, ref double more, int j0, int j1)
        where TCells : struct, ICells
    {
        ref var b0 = ref MemoryMarshal.GetArrayDataReference(_data.Columns[j0]);
        ref var b1 = ref MemoryMarshal.GetArrayDataReference(_data.Columns[j1]);
        ref var c0 = ref histogram.Cells(j0);
        ref var c1 = ref histogram.Cells(j1);
        for (nint i = 0; i < count; i++)
        {
            nint r = Unsafe.Add(ref list, i);
            var v = TCells.Value(ref values, ref more, i);
            TCells.Add(ref Unsafe.Add(ref c0, Unsafe.Add(ref b0, r) * TCells.Width), v);
            TCells.Add(ref Unsafe.Add(ref c1, Unsafe.Add(ref b1, r) * TCells.Width), v);
        }
    }

    private void Pass1<TCells>(Histogram histogram, ref int list, int count, ref double values, ref double more, int j0)
        where TCells : struct, ICells
    {
        ref var b0 = ref MemoryMarshal.GetArrayDataReference(_data.Columns[j0]);
        ref var c0 = ref histogram.Cells(j0);
        for (nint i = 0; i < count; i++)
        {
            nint r = Unsafe.Add(ref list, i);
            TCells.Add(ref Unsafe.Add(ref c0, Unsafe.Add(ref b0, r) * TCells.Width), TCells.Value(ref values, ref more, i));
        }
    }

    /// <summary>How a histogram cell is laid out and updated by one row.</summary>
    private interface ICells
    {
        /// <summary>Doubles per cell.</summary>
        static abstract int Width { get; }

        /// <summary>Row i's update, from its gradient (and hessian) in the gathered values.</summary>
        static abstract Vector256<double> Value(ref double values, ref double more, nint i);

        static abstract void Add(ref double cell, Vector256<double> value);
    }

    /// <summary>Unit hessians: (gradient sum, row count), the count being the hessian sum; values hold one gradient per row.</summary>
    private readonly struct UnitCells : ICells
    {
        public static int Width => 2;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<double> Value(ref double values, ref double more, nint i) => Vector128.Create(Unsafe.Add(ref values, i), 1.0).ToVector256Unsafe();

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Add(ref double cell, Vector256<double> value)
        {
            ref var c = ref Unsafe.As<double, Vector128<double>>(ref cell);
            c += value.GetLower();
        }
    }

    /// <summary>General hessians: (gradient sum, hessian sum, row count, unused); values hold a (gradient, hessian) pair per row.</summary>
    private readonly struct PairCells : ICells
    {
        public static int Width => 4;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<double> Value(ref double values, ref double more, nint i) =>
            Vector256.Create(Vector128.LoadUnsafe(ref values, (nuint)(2 * i)), Vector128.Create(1.0, 0.0));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Add(ref double cell, Vector256<double> value)
        {
            ref var c = ref Unsafe.As<double, Vector256<double>>(ref cell);
            c += value;
        }
    }

    /// <summary>The cells of <see cref="PairCells"/>, the gradients and hessians read in place from their two arrays.</summary>
    private readonly struct SplitPairCells : ICells
    {
        public static int Width => PairCells.Width;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<double> Value(ref double values, ref double more, nint i) =>
            Vector256.Create(Vector128.Create(Unsafe.Add(ref values, i), Unsafe.Add(ref more, i)), Vector128.Create(1.0, 0.0));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Add(ref double cell, Vector256<double> value) => PairCells.Add(ref cell, value);
    }

    private static int[] ActiveFeatures(bool[] mask)
    {
        var active = new List<int>(mask.Length);
        for (var j = 0; j < mask.Length; j++)
        {
            if (mask[j])
                active.Add(j);
        }
        return active.ToArray();
    }

    private static void Subtract(Histogram parent, Histogram small, bool[] featureMask)
    {
        foreach (var j in ActiveFeatures(featureMask))
        {
            var range = parent.Of(j);
            TensorPrimitives.Subtract(range, small.Of(j), range);
        }
    }

    /// <summary>The leaf's sums: off the histogram of its first active feature (every feature's bins sum to them), or from its rows.</summary>
    private static void Totals(Leaf leaf, bool[] featureMask, int[] rows, double[] gradients, double[] hessians)
    {
        if (leaf.Histogram is null)
        {
            double sg = 0, sh = 0;
            for (var i = leaf.Begin; i < leaf.End; i++)
            {
                sg += gradients[rows[i]];
                sh += hessians[rows[i]];
            }
            leaf.G = sg;
            leaf.H = sh;
            return;
        }
        var histogram = leaf.Histogram!;
        var sums = histogram.Of(Array.IndexOf(featureMask, true));
        double g = 0, h = 0;
        for (var b = 0; b < Bins; b++)
        {
            g += sums[histogram.Width * b];
            h += sums[histogram.Width * b + 1];
        }
        leaf.G = g;
        leaf.H = h;
    }

    private Split? FindBestSplit(Leaf leaf, bool[] features, int[] rows, double[] gradients, double[] hessians)
    {
        if (leaf.Count < 2 * _options.MinRowsInLeaf)
            return null;
        // A scan of every feature's ≤ 256 bins takes microseconds: sequential, in feature order (ties keep the first).
        Split? result = null;
        Span<BinSums> bins = stackalloc BinSums[Bins];
        for (var j = 0; j < features.Length; j++)
        {
            if (!features[j])
                continue;
            var (missing, count) = leaf.Histogram is null
                ? SortedBins(leaf, j, rows, gradients, hessians, bins)
                : HistogramBins(leaf, j, bins);
            if (BestSplitOf(leaf, j, missing, bins[..count]) is { } split && (result is null || split.Gain > result.Value.Gain))
                result = split;
        }
        return result;
    }

    /// <summary>The non-empty value bins of feature <paramref name="feature"/> in ascending order, read off the histogram.</summary>
    private static (BinSums Missing, int Count) HistogramBins(Leaf leaf, int feature, Span<BinSums> bins)
    {
        var histogram = leaf.Histogram!;
        var hist = histogram.Of(feature);
        var w = histogram.Width;
        var c = w == 2 ? 1 : 2; // with unit hessians the count is the hessian sum
        var count = 0;
        for (var t = 1; t < Bins; t++)
        {
            if (hist[w * t + c] > 0)
                bins[count++] = new BinSums(t, hist[w * t], hist[w * t + 1], (int)hist[w * t + c]);
        }
        return (new BinSums(0, hist[0], hist[1], (int)hist[c]), count);
    }

    /// <summary>The same as <see cref="HistogramBins"/> for a small leaf without a histogram: its rows' bins, sorted and merged.</summary>
    private (BinSums Missing, int Count) SortedBins(Leaf leaf, int feature, int[] rows, double[] gradients, double[] hessians, Span<BinSums> bins)
    {
        var column = _data.Columns[feature];
        Span<BinSums> items = stackalloc BinSums[SmallLeaf];
        var missing = new BinSums(0, 0, 0, 0);
        var n = 0;
        for (var i = leaf.Begin; i < leaf.End; i++)
        {
            var r = rows[i];
            var b = column[r];
            if (b == 0)
            {
                missing = new BinSums(0, missing.G + gradients[r], missing.H + hessians[r], missing.C + 1);
                continue;
            }
            // Insertion sort by bin, stable: rows keep their order within a bin, so sums run in row order.
            var item = new BinSums(b, gradients[r], hessians[r], 1);
            var k = n++;
            while (k > 0 && items[k - 1].Bin > b)
            {
                items[k] = items[k - 1];
                k--;
            }
            items[k] = item;
        }
        var count = 0;
        for (var i = 0; i < n; i++)
        {
            if (count > 0 && bins[count - 1].Bin == items[i].Bin)
                bins[count - 1] = new BinSums(items[i].Bin, bins[count - 1].G + items[i].G, bins[count - 1].H + items[i].H, bins[count - 1].C + 1);
            else
                bins[count++] = items[i];
        }
        return (missing, count);
    }

    /// <summary>The best split of one feature from its missing-value sums and its non-empty bins in ascending order.</summary>
    private Split? BestSplitOf(Leaf leaf, int feature, BinSums missing, ReadOnlySpan<BinSums> bins)
    {
        var binCount = _data.Binnings[feature].BinCount;
        var parentScore = leaf.G * leaf.G / (leaf.H + _options.L2);
        Split? best = null;
        double gl = 0, hl = 0;
        var cl = 0;
        foreach (var bin in bins)
        {
            gl += bin.G;
            hl += bin.H;
            cl += bin.C;
            if (bin.Bin < binCount)
            {
                // Missing values right, then left; with none in this leaf, send future ones to the heavier side.
                Consider(ref best, feature, bin.Bin, gl, hl, cl, missing.C > 0 ? false : hl >= leaf.H - hl, leaf, parentScore);
                if (missing.C > 0)
                    Consider(ref best, feature, bin.Bin, gl + missing.G, hl + missing.H, cl + missing.C, true, leaf, parentScore);
            }
            else if (missing.C > 0)
            {
                Consider(ref best, feature, bin.Bin, gl, hl, cl, false, leaf, parentScore); // every value left, missing alone right
            }
        }
        return best;
    }

    private readonly record struct BinSums(int Bin, double G, double H, int C);

    private void Consider(ref Split? best, int feature, int bin, double gl, double hl, int cl, bool missingLeft, Leaf leaf, double parentScore)
    {
        var cr = leaf.Count - cl;
        double gr = leaf.G - gl, hr = leaf.H - hl;
        if (cl < _options.MinRowsInLeaf || cr < _options.MinRowsInLeaf || hl < _options.MinHessianInLeaf || hr < _options.MinHessianInLeaf)
            return;
        var lambda = _options.L2;
        var gain = gl * gl / (hl + lambda) + gr * gr / (hr + lambda) - parentScore;
        if (gain > _options.MinSplitGain && gain > 1e-12 * Math.Abs(parentScore) && (best is null || gain > best.Value.Gain))
            best = new Split(feature, bin, missingLeft, gain);
    }

    /// <summary>
    /// Stable partition of the leaf's rows: left rows first, each side in its original order. Branch-free (each
    /// row is written to both outputs and only its side's cursor moves): the side is unpredictable, and a branch
    /// on it cost 9 % of a boosting fit in an interleaved A/B measurement.
    /// </summary>
    private int Partition(int[] rows, int[] scratch, Leaf leaf, Split split)
    {
        var column = _data.Columns[split.Feature];
        var missingKey = split.MissingLeft ? 0 : Bins; // a missing value compares as bin 0 (left) or 256 (right)
        var write = leaf.Begin;
        var spill = 0;
        for (var i = leaf.Begin; i < leaf.End; i++)
        {
            var r = rows[i];
            int b = column[r];
            var left = (b == 0 ? missingKey : b) <= split.Bin ? 1 : 0;
            rows[write] = r;
            scratch[spill] = r;
            write += left;
            spill += 1 - left;
        }
        Array.Copy(scratch, 0, rows, write, spill);
        return write;
    }

    private Histogram Rent(int features, bool unitHessians) =>
        _pool[unitHessians ? 0 : 1].TryTake(out var h) ? h : new Histogram(features, unitHessians);

    private void Return(Histogram? h)
    {
        if (h is not null)
            _pool[h.Width == 2 ? 0 : 1].Add(h);
    }

    /// <summary>
    /// Per feature j and bin b, a cell of <see cref="Width"/> doubles at <c>(j · 256 + b) · Width</c>: (gradient, count)
    /// with unit hessians, else (gradient, hessian, count, unused). The array is pinned and the cells start on a
    /// 32-byte boundary, so no cell straddles a cache line.
    /// </summary>
    private sealed class Histogram
    {
        private readonly double[] _array;
        private readonly int _offset;

        public Histogram(int features, bool unitHessians)
        {
            Width = unitHessians ? UnitCells.Width : PairCells.Width;
            Stride = Bins * Width;
            _array = GC.AllocateUninitializedArray<double>(features * Stride + 3, pinned: true);
            var address = (long)Marshal.UnsafeAddrOfPinnedArrayElement(_array, 0);
            _offset = (int)((32 - (address & 31)) & 31) / sizeof(double);
        }

        public int Width { get; }

        /// <summary>Doubles per feature.</summary>
        public int Stride { get; }

        /// <summary>Feature j's cells.</summary>
        public Span<double> Of(int j) => _array.AsSpan(_offset + j * Stride, Stride);

        /// <summary>Feature j's first cell, for the kernels.</summary>
        public ref double Cells(int j) => ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_array), _offset + j * Stride);
    }

    private readonly record struct Split(int Feature, int Bin, bool MissingLeft, double Gain);

    private sealed record Node(Split Split, int Left, int Right);

    private sealed class Leaf(int begin, int end, int depth, int parent, bool isLeft)
    {
        public int Begin { get; } = begin;
        public int End { get; } = end;
        public int Count => End - Begin;
        public int Depth { get; } = depth;
        public int Parent { get; } = parent;
        public bool IsLeft { get; } = isLeft;
        public double G { get; set; }
        public double H { get; set; }
        public Histogram? Histogram { get; set; }
        public Split? Best { get; set; }
    }
}
