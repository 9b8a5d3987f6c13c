using System.Runtime.CompilerServices;
using Microsoft.ML.Causal.Learners.Trees;
using Microsoft.ML.Causal.Persistence;

namespace Microsoft.ML.Causal.Forests;

/// <summary>
/// A grown forest: its trees in groups of <see cref="GroupSize"/> (group g holds trees g·ℓ … g·ℓ + ℓ − 1).
/// Prediction first collects each tree's leaf for a row (−1 where the tree is skipped: an empty leaf, or, out of
/// bag, a tree that drew the row), then averages those leaves' statistics.
/// </summary>
internal sealed class HonestForest
{
    public HonestForest(int featureCount, int statCount, int groupSize, ForestTree[] trees)
    {
        FeatureCount = featureCount;
        StatCount = statCount;
        GroupSize = groupSize;
        Trees = trees;
    }

    public int FeatureCount { get; }

    public int StatCount { get; }

    public int GroupSize { get; }

    public ForestTree[] Trees { get; }

    public int TreeCount => Trees.Length;

    /// <summary>Each tree's leaf for raw features <paramref name="x"/>, −1 where the leaf is empty.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void CollectLeaves(ReadOnlySpan<double> x, Span<int> leaves)
    {
        for (var b = 0; b < Trees.Length; b++)
            leaves[b] = Trees[b].LeafOf(x);
    }

    /// <summary>
    /// Tree <paramref name="tree"/>'s leaf for each of the rows of <paramref name="block"/> (row-major, <see cref="FeatureCount"/>
    /// values a row) into <paramref name="leaves"/>, −1 where the leaf is empty: <see cref="ForestTree.LeafOf"/> for a
    /// block of rows, so that one tree's arrays stay in cache while every row of the block walks it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void CollectLeaves(int tree, ReadOnlySpan<double> block, Span<int> leaves)
    {
        var structure = Trees[tree].Structure;
        var sizes = structure.LeafValues;
        var p = FeatureCount;
        if (structure.NodeCount == 0)
        {
            leaves.Fill(sizes[0] > 0 ? 0 : -1);
            return;
        }
        var feature = structure.Feature;
        var threshold = structure.Threshold;
        var missingLeft = structure.MissingLeft;
        var left = structure.Left;
        var right = structure.Right;
        for (var i = 0; i < leaves.Length; i++)
        {
            var x = block.Slice(i * p, p);
            var node = 0;
            int child;
            while (true)
            {
                var v = x[feature[node]];
                child = (double.IsNaN(v) ? missingLeft[node] : v <= threshold[node]) ? left[node] : right[node];
                if (child < 0)
                    break;
                node = child;
            }
            var leaf = ~child;
            leaves[i] = sizes[leaf] > 0 ? leaf : -1;
        }
    }

    /// <summary>Each tree's leaf for training row <paramref name="row"/>, −1 where the tree drew the row (per <paramref name="drawn"/>) or the leaf is empty.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void CollectLeavesOutOfBag(BinnedMatrix binned, int row, ulong[][] drawn, Span<int> leaves)
    {
        for (var b = 0; b < Trees.Length; b++)
            leaves[b] = ForestTrainer.Holds(drawn[b], row) ? -1 : Trees[b].LeafOfBinned(binned, row);
    }

    /// <summary>The mean of the collected leaves' statistics into <paramref name="average"/>; returns the number of trees used (0: nothing written but zeros).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int Average(ReadOnlySpan<int> leaves, Span<double> average)
    {
        average.Clear();
        var used = 0;
        for (var b = 0; b < Trees.Length; b++)
        {
            if (leaves[b] < 0)
                continue;
            var stats = Trees[b].Stats(leaves[b]);
            for (var k = 0; k < stats.Length; k++)
                average[k] += stats[k];
            used++;
        }
        if (used > 0)
        {
            for (var k = 0; k < average.Length; k++)
                average[k] /= used;
        }
        return used;
    }

    /// <summary>
    /// How many splits each feature makes at each depth 1 … <paramref name="maxDepth"/> over all trees (the root's
    /// split is depth 1): <c>counts[(d − 1)·p + j]</c>.
    /// </summary>
    public double[] SplitCounts(int maxDepth)
    {
        var p = FeatureCount;
        var counts = new double[maxDepth * p];
        var pending = new Stack<(int Node, int Depth)>();
        foreach (var tree in Trees)
        {
            var structure = tree.Structure;
            if (structure.NodeCount == 0)
                continue;
            pending.Push((0, 1));
            while (pending.Count > 0)
            {
                var (node, depth) = pending.Pop();
                counts[(depth - 1) * p + structure.Feature[node]]++;
                if (depth == maxDepth)
                    continue;
                if (structure.Left[node] >= 0)
                    pending.Push((structure.Left[node], depth + 1));
                if (structure.Right[node] >= 0)
                    pending.Push((structure.Right[node], depth + 1));
            }
        }
        return counts;
    }

    /// <summary>Stored bytes of the trees, the leaf statistics and the leaf rows (see <see cref="ForestModelSize"/>), with <paramref name="trainingRows"/> bytes of per-row arrays.</summary>
    public ForestModelSize Size(long trainingRows)
    {
        long trees = 16, stats = 0, rows = 0;
        foreach (var tree in Trees)
        {
            var nodes = tree.Structure.NodeCount;
            trees += 7 * ForestModelSize.Array(nodes, 4) + 2 * nodes * 4 /* threshold and gain are doubles */ + ForestModelSize.Array(tree.LeafCount, 8) + 1;
            stats += ForestModelSize.Array(tree.LeafStats.Length, 8);
            if (tree.LeafRows is not null)
                rows += ForestModelSize.Array(tree.LeafStart!.Length, 4) + ForestModelSize.Array(tree.LeafRows.Length, 4);
        }
        return new ForestModelSize(trees, stats, rows, trainingRows);
    }

    /// <summary>The same trees without their leaf rows (predictions are unchanged; kernel weights are no longer available).</summary>
    public HonestForest WithoutLeafRows() =>
        new(FeatureCount, StatCount, GroupSize, [.. Trees.Select(t => t.LeafRows is null ? t : new ForestTree(t.Structure, t.StatCount, t.LeafStats, null, null))]);

    public void Save(IModelWriter writer)
    {
        writer.WriteInt32(FeatureCount);
        writer.WriteInt32(StatCount);
        writer.WriteInt32(GroupSize);
        writer.WriteInt32(Trees.Length);
        foreach (var tree in Trees)
            tree.Save(writer);
    }

    public static HonestForest Load(IModelReader reader, int expectedStats)
    {
        var features = reader.ReadInt32();
        var stats = reader.ReadInt32();
        var groupSize = reader.ReadInt32();
        var count = reader.ReadInt32();
        if (features < 1 || stats != expectedStats || groupSize < 1 || count < 1 || count % groupSize != 0)
            throw new ModelFileException($"The model file is corrupt: a forest of {count} trees in groups of {groupSize} over {features} features with {stats} leaf statistics.");
        var trees = new ForestTree[count];
        for (var b = 0; b < count; b++)
            trees[b] = ForestTree.Load(reader, features, stats);
        return new HonestForest(features, stats, groupSize, trees);
    }
}
