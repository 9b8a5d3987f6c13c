using Microsoft.ML.Causal.Persistence;

namespace Microsoft.ML.Causal.Learners.Trees;

/// <summary>
/// A binary tree as flat arrays (struct of arrays). Internal node k splits on <see cref="Feature"/>[k]: a value
/// ≤ <see cref="Threshold"/>[k] goes left, a larger one right, and a missing value (NaN) goes left when
/// <see cref="MissingLeft"/>[k]. A child index ≥ 0 is an internal node; a negative one, ~i, is leaf i. A tree
/// with no internal node is the single leaf 0.
/// </summary>
internal sealed class RegressionTree
{
    public RegressionTree(int[] feature, double[] threshold, byte[] thresholdBin, bool[] missingLeft, int[] left, int[] right, double[] gain, double[] leafValues)
    {
        Feature = feature;
        Threshold = threshold;
        ThresholdBin = thresholdBin;
        MissingLeft = missingLeft;
        Left = left;
        Right = right;
        Gain = gain;
        LeafValues = leafValues;
    }

    public int[] Feature { get; }

    public double[] Threshold { get; }

    /// <summary>The same threshold as a bin of the training binning (bin ≤ it goes left).</summary>
    public byte[] ThresholdBin { get; }

    public bool[] MissingLeft { get; }

    public int[] Left { get; }

    public int[] Right { get; }

    /// <summary>The loss reduction of each split (for importances).</summary>
    public double[] Gain { get; }

    public double[] LeafValues { get; }

    public int NodeCount => Feature.Length;

    /// <summary>The leaf a row of raw features falls in.</summary>
    public int LeafOf(ReadOnlySpan<double> x)
    {
        if (Feature.Length == 0)
            return 0;
        var node = 0;
        while (true)
        {
            var v = x[Feature[node]];
            var child = (double.IsNaN(v) ? MissingLeft[node] : v <= Threshold[node]) ? Left[node] : Right[node];
            if (child < 0)
                return ~child;
            node = child;
        }
    }

    /// <summary>The leaf a row of the training binning falls in.</summary>
    public int LeafOfBinned(BinnedMatrix data, int row)
    {
        if (Feature.Length == 0)
            return 0;
        var columns = data.Columns;
        var node = 0;
        while (true)
        {
            var b = columns[Feature[node]][row];
            var child = (b == 0 ? MissingLeft[node] : b <= ThresholdBin[node]) ? Left[node] : Right[node];
            if (child < 0)
                return ~child;
            node = child;
        }
    }

    public double Predict(ReadOnlySpan<double> x) => LeafValues[LeafOf(x)];

    public void Save(IModelWriter writer)
    {
        writer.WriteInt32s(Feature);
        writer.WriteDoubles(Threshold);
        writer.WriteInt32s(ThresholdBin.Select(b => (int)b).ToArray());
        writer.WriteInt32s(MissingLeft.Select(b => b ? 1 : 0).ToArray());
        writer.WriteInt32s(Left);
        writer.WriteInt32s(Right);
        writer.WriteDoubles(Gain);
        writer.WriteDoubles(LeafValues);
    }

    /// <summary>Writes a list of trees: their count, then each tree.</summary>
    public static void SaveAll(IModelWriter writer, IReadOnlyList<RegressionTree> trees)
    {
        writer.WriteInt32(trees.Count);
        foreach (var tree in trees)
            tree.Save(writer);
    }

    /// <summary>Reads trees written by <see cref="SaveAll"/>; at least <paramref name="minimum"/> of them.</summary>
    public static List<RegressionTree> LoadAll(IModelReader reader, int featureCount, int minimum)
    {
        var count = reader.ReadInt32();
        if (count < minimum)
            throw new ModelFileException($"A tree list claims {count} trees; at least {minimum} are needed.");
        var trees = new List<RegressionTree>(count);
        for (var i = 0; i < count; i++)
            trees.Add(Load(reader, featureCount));
        return trees;
    }

    /// <summary>Reads a tree and checks that it is a well-formed tree over <paramref name="featureCount"/> features.</summary>
    public static RegressionTree Load(IModelReader reader, int featureCount)
    {
        var tree = new RegressionTree(reader.ReadInt32s(), reader.ReadDoubles(), reader.ReadInt32s().Select(b => (byte)b).ToArray(),
            reader.ReadInt32s().Select(b => b != 0).ToArray(), reader.ReadInt32s(), reader.ReadInt32s(), reader.ReadDoubles(), reader.ReadDoubles());
        var nodes = tree.Feature.Length;
        if (tree.Threshold.Length != nodes || tree.ThresholdBin.Length != nodes || tree.MissingLeft.Length != nodes
            || tree.Left.Length != nodes || tree.Right.Length != nodes || tree.Gain.Length != nodes || tree.LeafValues.Length != nodes + 1)
            throw new ModelFileException("A tree's arrays have inconsistent lengths.");
        var seen = new bool[nodes + nodes + 1];
        for (var k = 0; k < nodes; k++)
        {
            if ((uint)tree.Feature[k] >= (uint)featureCount)
                throw new ModelFileException($"A tree splits on feature {tree.Feature[k]} of {featureCount}.");
            foreach (var child in new[] { tree.Left[k], tree.Right[k] })
            {
                // Children must point forward (no cycles) and each node or leaf has one parent.
                var slot = child >= 0 ? child : nodes + ~child;
                if ((child >= 0 && (child <= k || child >= nodes)) || (child < 0 && ~child > nodes) || seen[slot])
                    throw new ModelFileException("A tree's child links do not form a tree.");
                seen[slot] = true;
            }
        }
        return tree;
    }
}
