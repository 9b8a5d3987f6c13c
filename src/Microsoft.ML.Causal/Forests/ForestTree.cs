using Microsoft.ML.Causal.Learners.Trees;
using Microsoft.ML.Causal.Persistence;

namespace Microsoft.ML.Causal.Forests;

/// <summary>
/// One honest tree: its splits as flat arrays (the library's <see cref="RegressionTree"/> layout, whose leaf
/// values here hold each leaf's number of estimation rows), and per leaf the prediction strategy's sufficient
/// statistics, <see cref="StatCount"/> doubles per leaf in one array. A leaf with no estimation row (possible
/// only without pruning) has size 0 and is skipped at prediction. Optionally each leaf's estimation rows (CSR:
/// <see cref="LeafStart"/>, <see cref="LeafRows"/>), which forest kernel weights need.
/// </summary>
internal sealed class ForestTree
{
    public ForestTree(RegressionTree structure, int statCount, double[] leafStats, int[]? leafStart, int[]? leafRows)
    {
        Structure = structure;
        StatCount = statCount;
        LeafStats = leafStats;
        LeafStart = leafStart;
        LeafRows = leafRows;
    }

    /// <summary>The splits; <c>LeafValues[k]</c> is leaf k's number of estimation rows.</summary>
    public RegressionTree Structure { get; }

    public int StatCount { get; }

    public double[] LeafStats { get; }

    public int[]? LeafStart { get; }

    public int[]? LeafRows { get; }

    public int LeafCount => Structure.LeafValues.Length;

    /// <summary>Leaf of raw features, or −1 when that leaf is empty.</summary>
    public int LeafOf(ReadOnlySpan<double> x)
    {
        var leaf = Structure.LeafOf(x);
        return Structure.LeafValues[leaf] > 0 ? leaf : -1;
    }

    /// <summary>Leaf of a row of the training binning, or −1 when that leaf is empty.</summary>
    public int LeafOfBinned(BinnedMatrix data, int row)
    {
        var leaf = Structure.LeafOfBinned(data, row);
        return Structure.LeafValues[leaf] > 0 ? leaf : -1;
    }

    public ReadOnlySpan<double> Stats(int leaf) => LeafStats.AsSpan(leaf * StatCount, StatCount);

    public void Save(IModelWriter writer)
    {
        Structure.Save(writer);
        writer.WriteDoubles(LeafStats);
        writer.WriteBoolean(LeafRows is not null);
        if (LeafRows is not null)
        {
            writer.WriteInt32s(LeafStart);
            writer.WriteInt32s(LeafRows);
        }
    }

    public static ForestTree Load(IModelReader reader, int featureCount, int statCount)
    {
        var structure = RegressionTree.Load(reader, featureCount);
        var stats = reader.ReadDoubles();
        if (stats.Length != structure.LeafValues.Length * statCount)
            throw new ModelFileException($"A forest tree has {stats.Length} leaf statistics for {structure.LeafValues.Length} leaves of {statCount}.");
        foreach (var size in structure.LeafValues)
        {
            if (!(size >= 0) || size != Math.Floor(size))
                throw new ModelFileException("A forest tree's leaf sizes are not counts.");
        }
        int[]? start = null, rows = null;
        if (reader.ReadBoolean())
        {
            start = reader.ReadInt32s();
            rows = reader.ReadInt32s();
            if (start.Length != structure.LeafValues.Length + 1 || start[0] != 0 || start[^1] != rows.Length)
                throw new ModelFileException("A forest tree's leaf rows are inconsistent.");
            for (var k = 0; k < structure.LeafValues.Length; k++)
            {
                if (start[k + 1] - start[k] != (int)structure.LeafValues[k])
                    throw new ModelFileException("A forest tree's leaf rows do not match its leaf sizes.");
            }
        }
        return new ForestTree(structure, statCount, stats, start, rows);
    }
}
