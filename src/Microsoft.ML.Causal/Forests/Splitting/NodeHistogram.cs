using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Microsoft.ML.Causal.Forests.Splitting;

/// <summary>
/// Per-bin sums of a node's per-row statistics for one feature (<see cref="Stride"/> doubles per bin, the first
/// being the row count). A small node only touches, sorts and clears the bins its rows fall in, so its cost is
/// O(rows · log rows) rather than O(bins); a large node clears and scans the feature's bins densely. Both paths
/// add the rows in the same order, so the sums — and the trees — are the same whichever is taken.
/// </summary>
internal sealed class NodeHistogram
{
    private const int Bins = 256;
    private const int SparseLimit = 64;
    private readonly double[] _cells;
    private readonly int[] _order = new int[Bins];
    private int _touched;
    private bool _dense;
    private int _denseEnd;

    public NodeHistogram(int stride)
    {
        Stride = stride;
        _cells = new double[Bins * stride];
    }

    public int Stride { get; }

    /// <summary>The sums of bin <paramref name="bin"/> (bin 0 holds missing values).</summary>
    public ReadOnlySpan<double> Cell(int bin) => _cells.AsSpan(bin * Stride, Stride);

    /// <summary>
    /// Adds row i's <see cref="Stride"/> statistics (<paramref name="stats"/>[i·Stride …]) to the bin of
    /// <paramref name="rows"/>[i] in <paramref name="column"/>, and returns the non-empty value bins ascending.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public ReadOnlySpan<int> Build(byte[] column, ReadOnlySpan<int> rows, ReadOnlySpan<double> stats, int binCount)
    {
        Clear();
        var s = Stride;
        ref var cells = ref MemoryMarshal.GetArrayDataReference(_cells);
        ref var bins = ref MemoryMarshal.GetArrayDataReference(column);
        var touched = 0;
        _dense = rows.Length > SparseLimit;
        for (var i = 0; i < rows.Length; i++)
        {
            int b = Unsafe.Add(ref bins, rows[i]);
            ref var cell = ref Unsafe.Add(ref cells, b * s);
            if (!_dense && cell == 0)
                _order[touched++] = b;
            var row = stats.Slice(i * s, s);
            for (var k = 0; k < s; k++)
                Unsafe.Add(ref cell, k) += row[k];
        }
        var count = 0;
        if (_dense)
        {
            _denseEnd = binCount + 1;
            for (var b = 1; b <= binCount; b++)
            {
                if (_cells[b * s] > 0)
                    _order[count++] = b;
            }
            return _order.AsSpan(0, count);
        }
        _touched = touched;
        var order = _order.AsSpan(0, touched);
        order.Sort();
        // The missing bin, when touched, sorts first; it is not a value bin.
        return order.Length > 0 && order[0] == 0 ? order[1..] : order;
    }

    private void Clear()
    {
        if (_dense)
            _cells.AsSpan(0, _denseEnd * Stride).Clear();
        else
        {
            for (var i = 0; i < _touched; i++)
                _cells.AsSpan(_order[i] * Stride, Stride).Clear();
        }
        _dense = false;
        _touched = 0;
    }
}
