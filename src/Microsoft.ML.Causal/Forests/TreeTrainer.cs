using System.Runtime.CompilerServices;
using Microsoft.ML.Causal.Forests.Prediction;
using Microsoft.ML.Causal.Forests.Relabeling;
using Microsoft.ML.Causal.Forests.Sampling;
using Microsoft.ML.Causal.Forests.Splitting;
using Microsoft.ML.Causal.Learners.Trees;
using Microsoft.ML.Causal.Numerics;

namespace Microsoft.ML.Causal.Forests;

/// <summary>
/// Grows one honest tree (grf's tree trainer): nodes are taken depth-first; a node with at most min.node.size
/// rows, or one the relabeling stops, or without a gaining split, becomes a leaf; otherwise its rows are
/// relabeled, Poisson(mtry) features (clamped to [1, p]) are drawn without replacement and the splitting rule
/// picks the split. The estimation rows then repopulate the leaves, empty leaves are pruned (a split with an
/// empty side is replaced by its other side), and each leaf stores the prediction strategy's statistics. One
/// instance per worker: it owns the scratch buffers.
/// </summary>
internal sealed class TreeTrainer
{
    private readonly ForestData _data;
    private readonly ForestOptions _options;
    private readonly IRelabelingStrategy _relabeling;
    private readonly ISplittingRule _rule;
    private readonly IPredictionStrategy _prediction;
    private readonly NodeSamples _node;
    private readonly int[] _features;
    private readonly int _mtry;
    private int[] _scratch = [];
    private int[] _leafOf = [];

    public TreeTrainer(ForestData data, ForestOptions options, IRelabelingStrategy relabeling, ISplittingRule rule, IPredictionStrategy prediction)
    {
        _data = data;
        _options = options;
        _relabeling = relabeling;
        _rule = rule;
        _prediction = prediction;
        _node = new NodeSamples(data.TreatmentCount, relabeling.ResponseCount);
        _features = new int[data.FeatureCount];
        _mtry = options.MtryFor(data.FeatureCount);
    }

    public ForestTree Grow(int[] splitRows, int[] estimationRows, CausalRandom random)
    {
        var rows = splitRows.ToArray();
        if (_scratch.Length < rows.Length)
            _scratch = new int[rows.Length];
        var nodes = new List<(Split Split, int Left, int Right)>();
        var leafCount = 0;
        var pending = new Stack<(int Begin, int End, int Parent, bool IsLeft)>();
        pending.Push((0, rows.Length, -1, false));
        while (pending.Count > 0)
        {
            var (begin, end, parent, isLeft) = pending.Pop();
            var split = TrySplit(rows, begin, end, random);
            int reference;
            if (split is { } s)
            {
                reference = nodes.Count;
                nodes.Add((s, 0, 0));
                var middle = Partition(rows, begin, end, s);
                pending.Push((middle, end, reference, false));
                pending.Push((begin, middle, reference, true));
            }
            else
            {
                reference = ~leafCount++;
            }
            if (parent >= 0)
                nodes[parent] = isLeft ? nodes[parent] with { Left = reference } : nodes[parent] with { Right = reference };
        }
        var tree = Structure(nodes, new double[leafCount]);
        // Each estimation row walks the tree once; pruning renumbers the leaves through a map instead of a second walk.
        if (_leafOf.Length < estimationRows.Length)
            _leafOf = new int[estimationRows.Length];
        var leafOf = _leafOf.AsSpan(0, estimationRows.Length);
        for (var i = 0; i < estimationRows.Length; i++)
            leafOf[i] = tree.LeafOfBinned(_data.Binned, estimationRows[i]);
        var sizes = Sizes(leafOf, leafCount);
        if (_options.HonestyPruneLeaves && Array.IndexOf(sizes, 0) >= 0)
        {
            (tree, var map) = Prune(tree, sizes);
            foreach (ref var leaf in leafOf)
                leaf = map[leaf];
            sizes = Sizes(leafOf, tree.LeafValues.Length);
        }
        return Populate(tree, sizes, estimationRows, leafOf);
    }

    private Split? TrySplit(int[] rows, int begin, int end, CausalRandom random)
    {
        var count = end - begin;
        if (count <= _options.MinNodeSize)
            return null;
        var span = rows.AsSpan(begin, count);
        _node.Gather(_data, span);
        if (!_relabeling.Relabel(_node))
            return null;
        return _rule.FindBestSplit(_data.Binned, span, _node, DrawFeatures(random));
    }

    /// <summary>Poisson(mtry) distinct features clamped to [1, p], in draw order (a partial Fisher–Yates shuffle).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private ReadOnlySpan<int> DrawFeatures(CausalRandom random)
    {
        var p = _features.Length;
        var take = _options.PoissonFeatureDraws ? Math.Clamp(Poisson(_mtry, random), 1, p) : _mtry;
        for (var j = 0; j < p; j++)
            _features[j] = j;
        TreeSampler.PartialShuffle(_features, take, random);
        return _features.AsSpan(0, take);
    }

    /// <summary>A Poisson(λ) draw: Knuth's product of uniforms, on pieces of mean ≤ 30 summed (exact, O(λ)).</summary>
    internal static int Poisson(double lambda, CausalRandom random)
    {
        var pieces = Math.Max(1, (int)Math.Ceiling(lambda / 30));
        var limit = Math.Exp(-lambda / pieces);
        var total = 0;
        for (var k = 0; k < pieces; k++)
        {
            var product = random.NextDouble();
            while (product > limit)
            {
                total++;
                product *= random.NextDouble();
            }
        }
        return total;
    }

    /// <summary>Stable partition of rows[begin, end): left rows first, each side in its original order; returns the first right position.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int Partition(int[] rows, int begin, int end, Split split)
    {
        var column = _data.Binned.Columns[split.Feature];
        var write = begin;
        var spill = 0;
        for (var i = begin; i < end; i++)
        {
            var r = rows[i];
            int b = column[r];
            if (b == 0 ? split.MissingLeft : b <= split.Bin)
                rows[write++] = r;
            else
                _scratch[spill++] = r;
        }
        Array.Copy(_scratch, 0, rows, write, spill);
        return write;
    }

    private RegressionTree Structure(List<(Split Split, int Left, int Right)> nodes, double[] leafValues)
    {
        var count = nodes.Count;
        var feature = new int[count];
        var threshold = new double[count];
        var bin = new byte[count];
        var missingLeft = new bool[count];
        var left = new int[count];
        var right = new int[count];
        var gain = new double[count];
        for (var k = 0; k < count; k++)
        {
            var (s, l, r) = nodes[k];
            feature[k] = s.Feature;
            bin[k] = (byte)s.Bin;
            threshold[k] = _data.Binned.Binnings[s.Feature].UpperBounds[s.Bin - 1];
            missingLeft[k] = s.MissingLeft;
            left[k] = l;
            right[k] = r;
            gain[k] = s.Gain;
        }
        return new RegressionTree(feature, threshold, bin, missingLeft, left, right, gain, leafValues);
    }

    private static int[] Sizes(ReadOnlySpan<int> leafOf, int leaves)
    {
        var sizes = new int[leaves];
        foreach (var leaf in leafOf)
            sizes[leaf]++;
        return sizes;
    }

    /// <summary>
    /// Removes empty leaves: a split with one empty side is replaced by its other side, one with two empty sides
    /// becomes empty itself. Children keep pointing forward (pre-order numbering). Returns the pruned tree and, per
    /// old leaf, its new number (−1 for a leaf pruned away; only empty leaves are).
    /// </summary>
    private static (RegressionTree Tree, int[] LeafMap) Prune(RegressionTree tree, int[] sizes)
    {
        var n = tree.NodeCount;
        var map = new int[sizes.Length];
        Array.Fill(map, -1);
        var full = new bool[n];
        bool Full(int child) => child < 0 ? sizes[~child] > 0 : full[child];
        for (var k = n - 1; k >= 0; k--)
            full[k] = Full(tree.Left[k]) || Full(tree.Right[k]);
        var feature = new List<int>();
        var threshold = new List<double>();
        var bin = new List<byte>();
        var missingLeft = new List<bool>();
        var left = new List<int>();
        var right = new List<int>();
        var gain = new List<double>();
        var leaves = 0;
        var pending = new Stack<(int Old, int Parent, bool IsLeft)>();
        pending.Push((n == 0 ? ~0 : 0, -1, false));
        while (pending.Count > 0)
        {
            var (old, parent, isLeft) = pending.Pop();
            // Skip splits with one empty side.
            while (old >= 0 && !(Full(tree.Left[old]) && Full(tree.Right[old])))
                old = Full(tree.Left[old]) ? tree.Left[old] : tree.Right[old];
            int reference;
            if (old < 0)
            {
                map[~old] = leaves;
                reference = ~leaves++;
            }
            else
            {
                reference = feature.Count;
                feature.Add(tree.Feature[old]);
                threshold.Add(tree.Threshold[old]);
                bin.Add(tree.ThresholdBin[old]);
                missingLeft.Add(tree.MissingLeft[old]);
                left.Add(0);
                right.Add(0);
                gain.Add(tree.Gain[old]);
                pending.Push((tree.Right[old], reference, false));
                pending.Push((tree.Left[old], reference, true));
            }
            if (parent >= 0)
            {
                if (isLeft)
                    left[parent] = reference;
                else
                    right[parent] = reference;
            }
        }
        return (new RegressionTree([.. feature], [.. threshold], [.. bin], [.. missingLeft], [.. left], [.. right], [.. gain], new double[leaves]), map);
    }

    /// <summary>The final tree: leaf sizes, statistics and (optionally) rows of the estimation sample (<paramref name="leafOf"/>: each row's leaf).</summary>
    private ForestTree Populate(RegressionTree tree, int[] sizes, int[] rows, ReadOnlySpan<int> leafOf)
    {
        var leaves = sizes.Length;
        var start = new int[leaves + 1];
        for (var k = 0; k < leaves; k++)
            start[k + 1] = start[k] + sizes[k];
        var members = new int[rows.Length];
        var cursor = start[..leaves];
        for (var i = 0; i < rows.Length; i++) // rows ascending, so each leaf's rows are too
            members[cursor[leafOf[i]]++] = rows[i];
        var statCount = _prediction.StatCount;
        var stats = new double[leaves * statCount];
        for (var k = 0; k < leaves; k++)
        {
            if (sizes[k] > 0)
                _prediction.LeafStatistics(_data, members.AsSpan(start[k], sizes[k]), stats.AsSpan(k * statCount, statCount));
            tree.LeafValues[k] = sizes[k];
        }
        return _options.KeepLeafSamples
            ? new ForestTree(tree, statCount, stats, start, members)
            : new ForestTree(tree, statCount, stats, null, null);
    }
}
