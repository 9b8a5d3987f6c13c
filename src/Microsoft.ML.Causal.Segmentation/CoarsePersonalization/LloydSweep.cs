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
    private readonly double[][] _blockSwaps;

    public LloydSweep(ProfitMatrix profits, int k, int restarts, int threads)
    {
        _profits = profits;
        _k = k;
        _threads = threads;
        _blocks = (profits.RowCount + BlockRows - 1) / BlockRows;
        _blockTotals = new double[_blocks][];
        _blockObjective = new double[_blocks][];
        _blockCounts = new int[_blocks][];
        _blockSwaps = new double[_blocks][];
        for (var b = 0; b < _blocks; b++)
        {
            _blockTotals[b] = new double[restarts * k * profits.LevelCount];
            _blockObjective[b] = new double[restarts];
            _blockCounts[b] = new int[restarts * k];
            _blockSwaps[b] = new double[restarts * (k + 1) * profits.LevelCount];
        }
    }

    /// <summary>
    /// For each of the <paramref name="activeCount"/> restarts listed in <paramref name="active"/> (slot s = restart active[s]):
    /// assigns every row to the best of the restart's K levels (ties to the first), and returns per slot the objective
    /// Σᵢ maxₖ πᵢ(s_k), the cell sizes, and the cell totals Σ_{i in cell} πᵢ(·) (K × M per slot). For the slots with
    /// <paramref name="swap"/> set it also returns the swap gains G(a, t) (K × M per slot, see <see cref="SwapGains"/>).
    /// </summary>
    public void Assign(int[] levels, int[] active, int activeCount, bool[] swap, double[] totals, double[] objective, int[] counts, double[] swapGains)
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
            var blockSwaps = _blockSwaps[b].AsSpan(0, activeCount * (k + 1) * m);
            blockSwaps.Clear();
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
                    var second = double.NegativeInfinity;
                    for (var a = 1; a < offered.Length; a++)
                    {
                        var v = row[offered[a]];
                        if (v > value)
                        {
                            second = value;
                            value = v;
                            best = a;
                        }
                        else if (v > second)
                            second = v;
                    }
                    blockObjective[s] += value;
                    blockCounts[s * k + best]++;
                    var cell = blockTotals.Slice((s * k + best) * m, m);
                    TensorPrimitives.Add(cell, row, cell);
                    if (swap[s])
                        AddSwapTerms(row, value, second, blockSwaps.Slice(s * (k + 1) * m, (k + 1) * m).Slice(k * m, m), blockSwaps.Slice((s * (k + 1) + best) * m, m));
                }
            }
        });
        totals.AsSpan(0, activeCount * k * m).Clear();
        objective.AsSpan(0, activeCount).Clear();
        counts.AsSpan(0, activeCount * k).Clear();
        var g = swapGains.AsSpan(0, activeCount * (k + 1) * m);
        g.Clear();
        for (var b = 0; b < _blocks; b++)
        {
            TensorPrimitives.Add(g, _blockSwaps[b].AsSpan(0, g.Length), g);
            var t = totals.AsSpan(0, activeCount * k * m);
            TensorPrimitives.Add(t, _blockTotals[b].AsSpan(0, t.Length), t);
            for (var s = 0; s < activeCount; s++)
                objective[s] += _blockObjective[b][s];
            for (var c = 0; c < activeCount * k; c++)
                counts[c] += _blockCounts[b][c];
        }
    }

    /// <summary>
    /// Swap gains from the per-slot accumulators ((K + 1) × M: row K holds C(t) = Σᵢ max(0, πᵢ(t) − bᵢ), row a holds the
    /// correction over the persons whose best offered level is a): replacing offered level a by t changes the objective by
    /// G(a, t) = C(t) + Σ_{i: best a} [(secondᵢ − bᵢ) + max(0, πᵢ(t) − secondᵢ) − max(0, πᵢ(t) − bᵢ)], with bᵢ and secondᵢ the
    /// best and second-best offered profits. One O(N·M) pass prices all K·(M − K) swaps.
    /// </summary>
    public static (int Slot, int Level, double Gain) SwapGains(ReadOnlySpan<double> accumulators, ReadOnlySpan<int> offered, int m)
    {
        var k = offered.Length;
        var common = accumulators.Slice(k * m, m);
        (int, int, double) best = (-1, -1, 0);
        for (var a = 0; a < k; a++)
        {
            var correction = accumulators.Slice(a * m, m);
            for (var t = 0; t < m; t++)
            {
                var gain = common[t] + correction[t];
                if (gain > best.Item3 && !offered.Contains(t))
                    best = (a, t, gain);
            }
        }
        return best;
    }

    private static void AddSwapTerms(ReadOnlySpan<double> row, double value, double second, Span<double> common, Span<double> correction)
    {
        var drop = second - value;
        var t = 0;
        var width = System.Numerics.Vector<double>.Count;
        if (System.Numerics.Vector.IsHardwareAccelerated && row.Length >= width)
        {
            var zero = System.Numerics.Vector<double>.Zero;
            var best = new System.Numerics.Vector<double>(value);
            var next = new System.Numerics.Vector<double>(second);
            var loss = new System.Numerics.Vector<double>(drop);
            for (; t <= row.Length - width; t += width)
            {
                var r = new System.Numerics.Vector<double>(row.Slice(t));
                var up = System.Numerics.Vector.Max(r - best, zero);
                (new System.Numerics.Vector<double>(common.Slice(t)) + up).CopyTo(common.Slice(t));
                (new System.Numerics.Vector<double>(correction.Slice(t)) + loss + System.Numerics.Vector.Max(r - next, zero) - up).CopyTo(correction.Slice(t));
            }
        }
        for (; t < row.Length; t++)
        {
            var up = Math.Max(0, row[t] - value);
            common[t] += up;
            correction[t] += drop + Math.Max(0, row[t] - second) - up;
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
