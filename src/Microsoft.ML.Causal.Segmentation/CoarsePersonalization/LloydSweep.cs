using System.Numerics.Tensors;

namespace Microsoft.ML.Causal.Segmentation.CoarsePersonalization;

/// <summary>
/// The data passes of <see cref="LloydSolver"/>, over fixed blocks of rows whose partial sums are added in block order, so
/// results do not depend on the thread count. One assignment pass serves several restarts at once (each row is read from
/// memory once and stays in cache while every restart uses it).
/// </summary>
internal sealed class LloydSweep
{
    public const int BlockRows = 8192;

    private readonly ProfitMatrix _profits;
    private readonly int _k;
    private readonly int _threads;
    private readonly int _blocks;
    private readonly double[][] _blockTotals;
    private readonly double[][] _blockObjective;
    private readonly int[][] _blockCounts;

    public LloydSweep(ProfitMatrix profits, int k, int restarts, int threads)
    {
        _profits = profits;
        _k = k;
        _threads = threads;
        _blocks = (profits.RowCount + BlockRows - 1) / BlockRows;
        _blockTotals = new double[_blocks][];
        _blockObjective = new double[_blocks][];
        _blockCounts = new int[_blocks][];
        for (var b = 0; b < _blocks; b++)
        {
            _blockTotals[b] = new double[restarts * k * profits.LevelCount];
            _blockObjective[b] = new double[restarts];
            _blockCounts[b] = new int[restarts * k];
        }
    }

    /// <summary>
    /// For each of the <paramref name="activeCount"/> restarts listed in <paramref name="active"/> (slot s = restart active[s]):
    /// assigns every row to the best of the restart's K levels (ties to the first), and returns per slot the objective
    /// Σᵢ maxₖ πᵢ(s_k), the cell sizes, and the cell totals Σ_{i in cell} πᵢ(·) (K × M per slot).
    /// </summary>
    public void Assign(int[] levels, int[] active, int activeCount, double[] totals, double[] objective, int[] counts)
    {
        var m = _profits.LevelCount;
        var k = _k;
        Parallel.For(0, _blocks, new ParallelOptions { MaxDegreeOfParallelism = _threads }, b =>
        {
            var blockTotals = _blockTotals[b].AsSpan(0, activeCount * k * m);
            var blockObjective = _blockObjective[b].AsSpan(0, activeCount);
            var blockCounts = _blockCounts[b].AsSpan(0, activeCount * k);
            blockTotals.Clear();
            blockObjective.Clear();
            blockCounts.Clear();
            var values = _profits.Values;
            var end = Math.Min(_profits.RowCount, (b + 1) * BlockRows);
            for (var i = b * BlockRows; i < end; i++)
            {
                var row = values.Slice(i * m, m);
                for (var s = 0; s < activeCount; s++)
                {
                    var offered = levels.AsSpan(active[s] * k, k);
                    var best = 0;
                    var value = row[offered[0]];
                    for (var a = 1; a < offered.Length; a++)
                    {
                        var v = row[offered[a]];
                        if (v > value)
                        {
                            value = v;
                            best = a;
                        }
                    }
                    blockObjective[s] += value;
                    blockCounts[s * k + best]++;
                    var cell = blockTotals.Slice((s * k + best) * m, m);
                    TensorPrimitives.Add(cell, row, cell);
                }
            }
        });
        totals.AsSpan(0, activeCount * k * m).Clear();
        objective.AsSpan(0, activeCount).Clear();
        counts.AsSpan(0, activeCount * k).Clear();
        for (var b = 0; b < _blocks; b++)
        {
            var t = totals.AsSpan(0, activeCount * k * m);
            TensorPrimitives.Add(t, _blockTotals[b].AsSpan(0, t.Length), t);
            for (var s = 0; s < activeCount; s++)
                objective[s] += _blockObjective[b][s];
            for (var c = 0; c < activeCount * k; c++)
                counts[c] += _blockCounts[b][c];
        }
    }

    /// <summary>gains[j] = Σᵢ max(0, πᵢ(t_j) − max_{s ∈ levels} πᵢ(s)): what adding level j would earn.</summary>
    public void Gains(ReadOnlySpan<int> levels, double[] gains)
    {
        var m = _profits.LevelCount;
        var offered = levels.ToArray();
        Parallel.For(0, _blocks, new ParallelOptions { MaxDegreeOfParallelism = _threads }, b =>
        {
            var partial = _blockTotals[b].AsSpan(0, m);
            partial.Clear();
            var values = _profits.Values;
            var end = Math.Min(_profits.RowCount, (b + 1) * BlockRows);
            for (var i = b * BlockRows; i < end; i++)
            {
                var row = values.Slice(i * m, m);
                var value = double.NegativeInfinity;
                foreach (var level in offered)
                    value = Math.Max(value, row[level]);
                for (var j = 0; j < m; j++)
                    partial[j] += Math.Max(0, row[j] - value);
            }
        });
        Array.Clear(gains);
        for (var b = 0; b < _blocks; b++)
            TensorPrimitives.Add(gains, _blockTotals[b].AsSpan(0, m), gains);
    }

    /// <summary>rowLevels[i] = the best of <paramref name="levels"/> for row i (ties to the first listed).</summary>
    public void Choose(ReadOnlySpan<int> levels, int[] rowLevels)
    {
        var m = _profits.LevelCount;
        var offered = levels.ToArray();
        Parallel.For(0, _blocks, new ParallelOptions { MaxDegreeOfParallelism = _threads }, b =>
        {
            var values = _profits.Values;
            var end = Math.Min(_profits.RowCount, (b + 1) * BlockRows);
            for (var i = b * BlockRows; i < end; i++)
                rowLevels[i] = BestOf(values.Slice(i * m, m), offered);
        });
    }

    /// <summary>The level of <paramref name="offered"/> with the largest profit in <paramref name="row"/> (ties to the first listed).</summary>
    public static int BestOf(ReadOnlySpan<double> row, ReadOnlySpan<int> offered)
    {
        var best = offered[0];
        for (var a = 1; a < offered.Length; a++)
        {
            if (row[offered[a]] > row[best])
                best = offered[a];
        }
        return best;
    }
}
