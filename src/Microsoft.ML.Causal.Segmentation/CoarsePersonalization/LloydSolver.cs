using Microsoft.ML.Causal.Numerics;

namespace Microsoft.ML.Causal.Segmentation.CoarsePersonalization;

/// <summary>
/// Coarse personalization's step 2 by Lloyd-type alternation on an N × M profit matrix: choose K levels S and an assignment
/// maximizing Σᵢ πᵢ(s_{a(i)}). Each sweep (1) assigns every person to the best of the K offered levels (or, with share bounds,
/// solves the exact transport problem of <see cref="CapacitatedAssignment"/>), then (2) moves each offered level to the level
/// maximizing its cell's total profit Σ_{i in cell} πᵢ(t), among levels no other cell holds. Both steps are exact coordinate
/// maximizations and a level moves only when that strictly raises its cell's total, so the objective rises strictly until no
/// level moves, and the finite number of level sets guarantees convergence (a sweep that fails to raise the objective, which
/// only rounding could cause, also stops the restart, keeping the best levels seen). A cell left empty is re-seeded with the
/// unused level whose addition gains most, Σᵢ max(0, πᵢ(t) − current profitᵢ), when that gain is positive.
/// When Lloyd has converged, a swap pass prices every exchange of one offered level for one other level in O(N·M)
/// (<see cref="LloydOptions.SwapRefinement"/>) and applies the best strictly improving one, after which Lloyd resumes; a
/// restart ends when neither moves (or when it reaches a Lloyd fixed point an earlier restart reached, whose continuation
/// would be identical). Restarts
/// (see <see cref="LloydOptions"/>) run in lockstep over fixed row blocks, so the result is the same for every thread count;
/// the best restart is kept (ties to the lowest restart).
/// </summary>
/// <remarks>Cost per sweep O(N·K·R + N·M·R) for R restarts, with one read of the matrix; extra memory O(blocks·R·K·M), not O(N·M).</remarks>
public sealed class LloydSolver
{
    private const string Component = "LloydSolver";

    /// <summary>Creates a solver with the given options (defaults when null).</summary>
    public LloydSolver(LloydOptions? options = null) => Options = options ?? new LloydOptions();

    /// <summary>The options.</summary>
    public LloydOptions Options { get; }

    /// <summary>Chooses <paramref name="k"/> levels and assigns every person to one of them.</summary>
    /// <param name="profits">The N × M profit matrix.</param>
    /// <param name="k">K, the number of levels to offer, in [1, M].</param>
    /// <returns>The best policy found, with exactly K offered levels (a level may end up with nobody when no person gains from it).</returns>
    /// <exception cref="ArgumentException">K is out of range, an option is invalid, or the share bounds cannot be met.</exception>
    public CoarsePolicy Solve(ProfitMatrix profits, int k)
    {
        CoarseChecks.LevelCount(Component, profits, k);
        var o = Options;
        if (o.Restarts < 1)
            throw new ArgumentOutOfRangeException(nameof(LloydOptions.Restarts), o.Restarts, $"{Component}: Restarts must be ≥ 1.");
        if (o.MaximumIterations < 1)
            throw new ArgumentOutOfRangeException(nameof(LloydOptions.MaximumIterations), o.MaximumIterations, $"{Component}: MaximumIterations must be ≥ 1.");
        if (o.SeedingSampleSize < 1)
            throw new ArgumentOutOfRangeException(nameof(LloydOptions.SeedingSampleSize), o.SeedingSampleSize, $"{Component}: SeedingSampleSize must be ≥ 1.");
        if (!Enum.IsDefined(o.Seeding))
            throw new ArgumentOutOfRangeException(nameof(LloydOptions.Seeding), o.Seeding, $"{Component}: unknown seeding.");
        var threads = CoarseChecks.Threads(o.MaxDegreeOfParallelism);
        if (o.MinimumShares is not null || o.MaximumShares is not null)
            return CapacitatedLloyd.Solve(profits, k, o, threads);
        return SolveFree(profits, k, o, threads);
    }

    private static CoarsePolicy SolveFree(ProfitMatrix profits, int k, LloydOptions o, int threads)
    {
        var m = profits.LevelCount;
        var restarts = o.Restarts;
        var levels = new int[restarts * k];
        for (var r = 0; r < restarts; r++)
            ProfitSeeding.Seed(profits, o.Seeding, o.SeedingSampleSize, new CausalRandom((long)o.Seed + r), levels.AsSpan(r * k, k));
        var bestLevels = (int[])levels.Clone();
        var bestProfit = new double[restarts];
        var iterations = new int[restarts];
        var active = new int[restarts];
        for (var r = 0; r < restarts; r++)
            active[r] = r;
        var activeCount = restarts;
        var sweep = new LloydSweep(profits, k, restarts, threads);
        var totals = new double[restarts * k * m];
        var objective = new double[restarts];
        var counts = new int[restarts * k];
        var gains = new double[m];
        var swapping = new bool[restarts];
        var swapSlots = new bool[restarts];
        var swapGains = new double[restarts * (k + 1) * m];
        var canSwap = o.SwapRefinement && k > 1 && k < m;
        var fixedPoints = new HashSet<string>(StringComparer.Ordinal);
        while (activeCount > 0)
        {
            for (var s = 0; s < activeCount; s++)
                swapSlots[s] = swapping[active[s]];
            sweep.Assign(levels, active, activeCount, swapSlots, totals, objective, counts, swapGains);
            var next = 0;
            for (var s = 0; s < activeCount; s++)
            {
                var r = active[s];
                iterations[r]++;
                if (swapping[r])
                {
                    // Lloyd had converged on these levels: apply the best swap if it gains, else the restart is done.
                    swapping[r] = false;
                    var offeredNow = levels.AsSpan(r * k, k);
                    var (slot, level, gain) = LloydSweep.SwapGains(swapGains.AsSpan(s * (k + 1) * m, (k + 1) * m), offeredNow, m);
                    if (slot >= 0 && gain > 1e-10 * (1 + Math.Abs(objective[s])) && iterations[r] < o.MaximumIterations)
                    {
                        offeredNow[slot] = level;
                        active[next++] = r;
                    }
                    continue;
                }
                if (iterations[r] > 1 && !(objective[s] > bestProfit[r]))
                    continue; // no strict gain (rounding): stop with the best levels seen
                bestProfit[r] = objective[s];
                Array.Copy(levels, r * k, bestLevels, r * k, k);
                if (iterations[r] >= o.MaximumIterations)
                    continue;
                var offered = levels.AsSpan(r * k, k);
                var changed = MoveLevels(totals.AsSpan(s * k * m, k * m), counts.AsSpan(s * k, k), offered, m, (_, _) => true, out var empty);
                if (empty >= 0)
                {
                    sweep.Gains(offered, gains);
                    var add = -1;
                    for (var j = 0; j < m; j++)
                    {
                        if (!offered.Contains(j) && gains[j] > 0 && (add < 0 || gains[j] > gains[add]))
                            add = j;
                    }
                    if (add >= 0)
                    {
                        offered[empty] = add;
                        changed = true;
                    }
                }
                // A Lloyd fixed point another restart already reached continues identically from here: stop this copy.
                if (!changed && canSwap && fixedPoints.Add(string.Join(',', offered.ToArray().Order())))
                    swapping[r] = changed = true;
                if (changed)
                    active[next++] = r;
            }
            activeCount = next;
        }
        var winner = 0;
        for (var r = 1; r < restarts; r++)
        {
            if (bestProfit[r] > bestProfit[winner])
                winner = r;
        }
        var chosen = bestLevels.AsSpan(winner * k, k);
        var rowLevels = new int[profits.RowCount];
        sweep.Choose(chosen, rowLevels);
        return CoarsePolicy.Create("Lloyd", profits, rowLevels, chosen, [], null, iterations[winner], bestProfit);
    }

    /// <summary>
    /// The update step: for each cell a (in order), moves its level to the level t maximizing the cell total totals[a, t] among
    /// levels held by no other cell and allowed by <paramref name="allowed"/>(t, cell size), and only when that strictly beats
    /// the current level. Returns whether any level moved; <paramref name="empty"/> is the first empty cell (−1 if none).
    /// </summary>
    internal static bool MoveLevels(ReadOnlySpan<double> totals, ReadOnlySpan<int> counts, Span<int> offered, int m, Func<int, int, bool> allowed, out int empty)
    {
        var changed = false;
        empty = -1;
        for (var a = 0; a < offered.Length; a++)
        {
            if (counts[a] == 0)
            {
                if (empty < 0)
                    empty = a;
                continue;
            }
            var cell = totals.Slice(a * m, m);
            var best = offered[a];
            for (var t = 0; t < m; t++)
            {
                if (cell[t] > cell[best] && !offered.Contains(t) && allowed(t, counts[a]))
                    best = t;
            }
            changed |= best != offered[a];
            offered[a] = best;
        }
        return changed;
    }
}
