namespace Microsoft.ML.Causal.Segmentation.CoarsePersonalization;

/// <summary>
/// Exact assignment of N persons to K offered levels with per-level count bounds L_k ≤ n_k ≤ U_k, maximizing
/// Σᵢ πᵢ(s_{a(i)}): a transportation problem with N unit sources and K sinks, solved by successive shortest paths on
/// the K-node exchange graph. Persons are added one at a time; each goes along a shortest path source → sink k₁ → … → sink
/// l with room, where the edge k → l costs min_{j in cell k} (π_j(k) − π_j(l)) (moving the cheapest person of cell k to l).
/// One binary heap per ordered pair (k, l) keyed by that static difference gives the edge costs (stale entries of persons who
/// left k are dropped lazily), and Dijkstra over the K sinks runs on reduced costs with potentials p = the previous
/// distances, which stay valid because every new residual edge is tight or slack. Sinks below their lower bound are
/// preferred lexicographically (a lower bound is a mandatory arc of cost −∞). Each step keeps the assignment optimal for the
/// persons placed so far, so the final one is optimal. Work O(N·K² + N·K·log N), memory O(N·K).
/// </summary>
internal sealed class TransportSolver
{
    private readonly int _k;
    private readonly double[][] _keys;
    private readonly int[][] _ids;
    private readonly int[] _sizes;

    public TransportSolver(int k, int capacityHint)
    {
        _k = k;
        var pairs = k * k;
        _keys = new double[pairs][];
        _ids = new int[pairs][];
        _sizes = new int[pairs];
        var initial = k <= 10 ? Math.Max(16, capacityHint / k) : 16;
        for (var p = 0; p < pairs; p++)
        {
            if (p / k == p % k)
                continue;
            _keys[p] = new double[initial];
            _ids[p] = new int[initial];
        }
    }

    /// <summary>
    /// Fills <paramref name="cell"/> (per person, an index into <paramref name="offered"/>) with an optimal assignment; feasibility
    /// (ΣL ≤ N ≤ ΣU) must have been checked. Returns the total profit.
    /// </summary>
    public double Solve(ProfitMatrix profits, ReadOnlySpan<int> offered, ReadOnlySpan<int> lower, ReadOnlySpan<int> upper, Span<int> cell)
    {
        var k = _k;
        Array.Clear(_sizes);
        cell.Fill(-1); // every person unplaced: the heaps use the cells to detect stale entries
        Span<int> count = stackalloc int[k];
        Span<double> potential = stackalloc double[k];
        Span<double> label = stackalloc double[k];
        Span<int> previous = stackalloc int[k];
        Span<bool> settled = stackalloc bool[k];
        Span<double> gain = stackalloc double[k];
        count.Clear();
        potential.Clear();
        var values = profits.Values;
        var m = profits.LevelCount;
        for (var i = 0; i < cell.Length; i++)
        {
            var row = values.Slice(i * m, m);
            for (var a = 0; a < k; a++)
            {
                gain[a] = row[offered[a]];
                label[a] = -gain[a] - potential[a];
                previous[a] = -1;
                settled[a] = false;
            }
            for (var step = 0; step < k; step++)
            {
                var u = -1;
                for (var a = 0; a < k; a++)
                {
                    if (!settled[a] && (u < 0 || label[a] < label[u]))
                        u = a;
                }
                settled[u] = true;
                for (var b = 0; b < k; b++)
                {
                    if (settled[b] || !TryTop(u, b, cell, out var cost, out _))
                        continue;
                    var candidate = label[u] + cost + potential[u] - potential[b];
                    if (candidate < label[b])
                    {
                        label[b] = candidate;
                        previous[b] = u;
                    }
                }
            }
            var target = -1;
            var deficient = false;
            for (var a = 0; a < k; a++)
            {
                if (count[a] >= upper[a])
                    continue;
                var need = count[a] < lower[a];
                var distance = label[a] + potential[a];
                if (target < 0 || (need && !deficient) || (need == deficient && distance < label[target] + potential[target]))
                {
                    target = a;
                    deficient = need;
                }
            }
            count[target]++;
            var at = target;
            while (previous[at] >= 0)
            {
                var from = previous[at];
                TryTop(from, at, cell, out _, out var moved);
                Pop(from * k + at);
                cell[moved] = at;
                PushAll(moved, at, values.Slice(moved * m, m), offered);
                at = from;
            }
            cell[i] = at;
            PushAll(i, at, row, offered);
            for (var a = 0; a < k; a++)
                potential[a] += label[a];
        }
        var total = 0.0;
        for (var i = 0; i < cell.Length; i++)
            total += values[i * m + offered[cell[i]]];
        return total;
    }

    private bool TryTop(int from, int to, ReadOnlySpan<int> cell, out double key, out int id)
    {
        var p = from * _k + to;
        while (_sizes[p] > 0)
        {
            id = _ids[p][0];
            if (cell[id] == from)
            {
                key = _keys[p][0];
                return true;
            }
            Pop(p);
        }
        key = 0;
        id = -1;
        return false;
    }

    private void PushAll(int id, int from, ReadOnlySpan<double> row, ReadOnlySpan<int> offered)
    {
        var own = row[offered[from]];
        for (var b = 0; b < _k; b++)
        {
            if (b != from)
                Push(from * _k + b, own - row[offered[b]], id);
        }
    }

    private void Push(int p, double key, int id)
    {
        var size = _sizes[p];
        if (size == _keys[p].Length)
        {
            Array.Resize(ref _keys[p], size * 2);
            Array.Resize(ref _ids[p], size * 2);
        }
        var keys = _keys[p];
        var ids = _ids[p];
        var at = size;
        while (at > 0)
        {
            var parent = (at - 1) >> 1;
            if (keys[parent] <= key)
                break;
            keys[at] = keys[parent];
            ids[at] = ids[parent];
            at = parent;
        }
        keys[at] = key;
        ids[at] = id;
        _sizes[p] = size + 1;
    }

    private void Pop(int p)
    {
        var size = --_sizes[p];
        if (size == 0)
            return;
        var keys = _keys[p];
        var ids = _ids[p];
        var key = keys[size];
        var id = ids[size];
        var at = 0;
        while (true)
        {
            var child = 2 * at + 1;
            if (child >= size)
                break;
            if (child + 1 < size && keys[child + 1] < keys[child])
                child++;
            if (keys[child] >= key)
                break;
            keys[at] = keys[child];
            ids[at] = ids[child];
            at = child;
        }
        keys[at] = key;
        ids[at] = id;
    }
}
