namespace Microsoft.ML.Causal.Segmentation.CoarsePersonalization;

/// <summary>
/// The exact coarse policy by a 1-D dynamic program, for profits with single crossing. Order persons by a type θ (given, or by
/// default by their best level tᵢ* and then by πᵢ(t_{M−1}) − πᵢ(t₀)). The condition: increasing differences in (θ, t) — for
/// every pair of levels a &lt; b, πᵢ(b) − πᵢ(a) is nondecreasing in θ. Then, for any offered set, choosing the best offered
/// level is monotone in θ, so some optimal policy's cells are intervals of the θ-order, and the coarse optimum is
/// max over partitions of the sorted persons into ≤ K consecutive groups of Σ_groups max_t Σ_{i in group} πᵢ(t).
/// Persons with equal θ form one group. With V(a, b) = max_t (P_{b+1}(t) − P_a(t)) from prefix sums P over the G groups,
/// F_c(b) = max_{a ≤ b} F_{c−1}(a − 1) + V(a, b); cost O(G²·M + K·G²) time and O(G²) memory, so G is limited to
/// <see cref="MaximumGroups"/>. Without the condition the answer is a feasible policy (a lower bound), not necessarily optimal.
/// </summary>
public static class SingleCrossingSolver
{
    private const string Component = "SingleCrossingSolver";

    /// <summary>Largest number of distinct types accepted.</summary>
    public const int MaximumGroups = 4000;

    /// <summary>Solves the coarse problem with at most K levels by the dynamic program.</summary>
    /// <param name="profits">The profit matrix.</param>
    /// <param name="k">K, in [1, M].</param>
    /// <param name="types">Optional type θᵢ per person (finite); empty for the default order.</param>
    /// <returns>The policy; it offers the distinct levels of its groups, at most K (fewer only when more would not add profit).</returns>
    /// <exception cref="ArgumentException">K is out of range, the types do not match the rows or are not finite, or there are more than <see cref="MaximumGroups"/> distinct types.</exception>
    public static CoarsePolicy Solve(ProfitMatrix profits, int k, ReadOnlySpan<double> types = default)
    {
        CoarseChecks.LevelCount(Component, profits, k);
        var n = profits.RowCount;
        var m = profits.LevelCount;
        if (!types.IsEmpty && types.Length != n)
            throw new ArgumentException($"{Component}: {types.Length} types for {n} rows.", nameof(types));
        var primary = new double[n];
        var secondary = new double[n];
        for (var i = 0; i < n; i++)
        {
            var row = profits.Row(i);
            if (types.IsEmpty)
            {
                primary[i] = System.Numerics.Tensors.TensorPrimitives.IndexOfMax(row);
                secondary[i] = row[m - 1] - row[0];
            }
            else if (!double.IsFinite(types[i]))
                throw new ArgumentException($"{Component}: the type of row {i} is {types[i]}; types must be finite.", nameof(types));
            else
                primary[i] = types[i];
        }
        var order = Enumerable.Range(0, n).ToArray();
        Array.Sort(order, (x, y) => primary[x] != primary[y] ? primary[x].CompareTo(primary[y]) : secondary[x].CompareTo(secondary[y]));
        var starts = new List<int> { 0 };
        for (var p = 1; p < n; p++)
        {
            if (primary[order[p]] != primary[order[p - 1]] || secondary[order[p]] != secondary[order[p - 1]])
                starts.Add(p);
        }
        var g = starts.Count;
        if (g > MaximumGroups)
            throw new ArgumentException($"{Component}: {g} distinct types exceed the {MaximumGroups} the dynamic program handles; bin the types or use LloydSolver.", nameof(types));
        starts.Add(n);
        var prefix = new double[(g + 1) * m];
        for (var q = 0; q < g; q++)
        {
            var next = prefix.AsSpan((q + 1) * m, m);
            prefix.AsSpan(q * m, m).CopyTo(next);
            for (var p = starts[q]; p < starts[q + 1]; p++)
                System.Numerics.Tensors.TensorPrimitives.Add(next, profits.Row(order[p]), next);
        }
        var value = new double[g * g];
        var argLevel = new int[g * g];
        var diff = new double[m];
        for (var a = 0; a < g; a++)
        {
            for (var b = a; b < g; b++)
            {
                System.Numerics.Tensors.TensorPrimitives.Subtract(prefix.AsSpan((b + 1) * m, m), prefix.AsSpan(a * m, m), diff);
                var t = System.Numerics.Tensors.TensorPrimitives.IndexOfMax(diff);
                value[a * g + b] = diff[t];
                argLevel[a * g + b] = t;
            }
        }
        // F[c, b]: best value of groups 0..b split into c + 1 intervals; cut[c, b]: start of the last interval.
        var f = new double[k * g];
        var cut = new int[k * g];
        for (var b = 0; b < g; b++)
            f[b] = value[b];
        for (var c = 1; c < k; c++)
        {
            for (var b = 0; b < g; b++)
            {
                var best = f[(c - 1) * g + b];
                var at = -1;
                for (var a = 1; a <= b; a++)
                {
                    var candidate = f[(c - 1) * g + a - 1] + value[a * g + b];
                    if (candidate > best)
                    {
                        best = candidate;
                        at = a;
                    }
                }
                f[c * g + b] = best;
                cut[c * g + b] = at;
            }
        }
        var rowLevels = new int[n];
        var end = g - 1;
        for (var c = k - 1; c >= 0 && end >= 0; c--)
        {
            var start = c == 0 ? 0 : cut[c * g + end];
            if (start < 0)
                continue; // fewer intervals were as good: the same end with one interval less
            var level = argLevel[start * g + end];
            for (var p = starts[start]; p < starts[end + 1]; p++)
                rowLevels[order[p]] = level;
            end = start - 1;
        }
        return CoarsePolicy.Create("SingleCrossingDP", profits, rowLevels, [], [], null, 0, []);
    }
}
