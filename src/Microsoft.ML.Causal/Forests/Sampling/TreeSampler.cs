using System.Runtime.CompilerServices;
using Microsoft.ML.Causal.Numerics;

namespace Microsoft.ML.Causal.Forests.Sampling;

/// <summary>
/// grf's sampling scheme on units — clusters when cluster ids are given, else single rows. With a group size
/// ℓ ≥ 2 each tree group draws a half-sample (⌊units/2⌋ without replacement) and each of its trees draws
/// ⌈2·fraction·half⌉ units of that half; with ℓ = 1 each tree draws ⌊units·fraction⌋ units directly. An honest
/// tree cuts its units into ⌈s·honesty.fraction⌉ for splitting and the rest for estimation (cutting at unit
/// level keeps a cluster on one side). A drawn cluster contributes all its rows, or, with equalized cluster
/// weights, as many rows as the smallest cluster, drawn at random.
/// </summary>
internal sealed class TreeSampler
{
    private readonly int[] _unitStart;
    private readonly int[] _unitRows;
    private readonly int _perCluster;
    private readonly ForestOptions _options;

    private TreeSampler(int[] unitStart, int[] unitRows, int perCluster, ForestOptions options, int rowCount)
    {
        _unitStart = unitStart;
        _unitRows = unitRows;
        _perCluster = perCluster;
        _options = options;
        RowCount = rowCount;
    }

    /// <summary>Rows of the feature matrix (the length of the drawn-row bitsets).</summary>
    public int RowCount { get; }

    /// <summary>Number of units (clusters or rows) sampled from.</summary>
    public int UnitCount => _unitStart.Length - 1;

    /// <summary>Units of <paramref name="rows"/>: one per distinct cluster id (ascending id), or one per row; rows within a unit ascending.</summary>
    public static TreeSampler Create(int[] rows, ReadOnlySpan<int> clusters, ForestOptions options, int rowCount)
    {
        var sorted = rows.ToArray();
        Array.Sort(sorted);
        if (clusters.IsEmpty)
        {
            var start = new int[sorted.Length + 1];
            for (var i = 0; i <= sorted.Length; i++)
                start[i] = i;
            return new TreeSampler(start, sorted, 0, options, rowCount);
        }
        var keys = new int[sorted.Length];
        for (var i = 0; i < sorted.Length; i++)
            keys[i] = clusters[sorted[i]];
        // Stable by row within a cluster: sort (cluster, row) pairs.
        var order = new long[sorted.Length];
        for (var i = 0; i < sorted.Length; i++)
            order[i] = ((long)keys[i] << 32) | (uint)sorted[i];
        Array.Sort(order);
        var unitRows = new int[sorted.Length];
        var starts = new List<int>();
        var smallest = int.MaxValue;
        for (var i = 0; i < order.Length; i++)
        {
            unitRows[i] = (int)(order[i] & 0xFFFFFFFF);
            if (i == 0 || (order[i] >> 32) != (order[i - 1] >> 32))
            {
                if (starts.Count > 0)
                    smallest = Math.Min(smallest, i - starts[^1]);
                starts.Add(i);
            }
        }
        if (starts.Count > 0)
            smallest = Math.Min(smallest, order.Length - starts[^1]);
        starts.Add(order.Length);
        return new TreeSampler([.. starts], unitRows, options.EqualizeClusterWeights ? smallest : 0, options, rowCount);
    }

    /// <summary>Units each group's half-sample holds (ℓ ≥ 2), or all units (ℓ = 1).</summary>
    public static int GroupUnits(int units, ForestOptions options) => options.CiGroupSize >= 2 ? units / 2 : units;

    /// <summary>Units each tree draws.</summary>
    public static int TreeUnits(int units, ForestOptions options)
    {
        if (options.CiGroupSize >= 2)
        {
            var half = units / 2;
            return Math.Min(half, (int)Math.Ceiling(2 * options.SampleFraction * half));
        }
        return (int)Math.Floor(units * options.SampleFraction);
    }

    /// <summary>Units of a tree's sample used for splitting (all of them without honesty).</summary>
    public static int SplitUnits(int treeUnits, ForestOptions options) =>
        options.Honesty ? (int)Math.Ceiling(treeUnits * options.HonestyFraction) : treeUnits;

    /// <summary>The fewest units for which every tree gets a split set and, when honest, a non-empty estimation set.</summary>
    public static int MinimumUnits(ForestOptions options)
    {
        for (var n = 1; ; n++)
        {
            var s = TreeUnits(n, options);
            var j1 = SplitUnits(s, options);
            if (j1 >= 1 && (!options.Honesty || s - j1 >= 1))
                return n;
        }
    }

    /// <summary>The units of one group: a random half-sample (ℓ ≥ 2) or all units (ℓ = 1), as a scratch array the trees draw from.</summary>
    public int[] DrawGroup(CausalRandom random)
    {
        var all = new int[UnitCount];
        for (var u = 0; u < all.Length; u++)
            all[u] = u;
        if (_options.CiGroupSize < 2)
            return all;
        var half = GroupUnits(UnitCount, _options);
        PartialShuffle(all, half, random);
        return all[..half];
    }

    /// <summary>
    /// One tree's rows from its group's units: the split rows and estimation rows (both ascending; the same array
    /// without honesty), and a bitset of every row of every drawn unit (for out-of-bag predictions).
    /// <paramref name="groupBits"/>, when given, is the group's bitset, shared when the tree draws the whole group.
    /// </summary>
    public (int[] Split, int[] Estimation, ulong[] Drawn) DrawTree(int[] groupUnits, CausalRandom random, ulong[]? groupBits)
    {
        var s = TreeUnits(UnitCount, _options);
        var units = groupUnits.ToArray();
        PartialShuffle(units, s, random); // a uniformly random ordered sample: cutting it is shuffling then cutting
        var j1 = SplitUnits(s, _options);
        var split = Expand(units.AsSpan(0, j1), random);
        var estimation = _options.Honesty ? Expand(units.AsSpan(j1, s - j1), random) : split;
        var drawn = s == groupUnits.Length && groupBits is not null ? groupBits : Bits(units.AsSpan(0, s));
        return (split, estimation, drawn);
    }

    /// <summary>The bitset of every row of <paramref name="units"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public ulong[] Bits(ReadOnlySpan<int> units)
    {
        var bits = new ulong[(RowCount + 63) / 64];
        foreach (var u in units)
        {
            for (var k = _unitStart[u]; k < _unitStart[u + 1]; k++)
            {
                var r = _unitRows[k];
                bits[r >> 6] |= 1UL << (r & 63);
            }
        }
        return bits;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int[] Expand(ReadOnlySpan<int> units, CausalRandom random)
    {
        var total = 0;
        foreach (var u in units)
            total += Take(u);
        var rows = new int[total];
        var at = 0;
        foreach (var u in units)
        {
            var begin = _unitStart[u];
            var size = _unitStart[u + 1] - begin;
            if (_perCluster > 0 && size > _perCluster)
            {
                var members = _unitRows.AsSpan(begin, size).ToArray();
                PartialShuffle(members, _perCluster, random);
                members.AsSpan(0, _perCluster).CopyTo(rows.AsSpan(at));
                at += _perCluster;
            }
            else
            {
                _unitRows.AsSpan(begin, size).CopyTo(rows.AsSpan(at));
                at += size;
            }
        }
        Array.Sort(rows);
        return rows;
    }

    private int Take(int unit)
    {
        var size = _unitStart[unit + 1] - _unitStart[unit];
        return _perCluster > 0 ? Math.Min(size, _perCluster) : size;
    }

    /// <summary>Moves a uniformly random ordered sample of <paramref name="count"/> entries to the front (Fisher–Yates, stopped early).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void PartialShuffle(int[] values, int count, CausalRandom random)
    {
        for (var i = 0; i < count; i++)
        {
            var j = i + random.NextInt(values.Length - i);
            (values[i], values[j]) = (values[j], values[i]);
        }
    }
}
