using Microsoft.ML.Causal.Numerics;

namespace Microsoft.ML.Causal.Segmentation.CoarsePersonalization;

/// <summary>
/// Lloyd alternation under share bounds per level of the matrix: the assignment step is the exact transport problem
/// (<see cref="TransportSolver"/>), the update step moves a cell of size n only to a level t with ⌊ℓ_t N⌋ ≤ n ≤ ⌈u_t N⌉, so
/// the level set stays feasible and the objective never falls. Restarts run in parallel, each on its own; the best is kept
/// (ties to the lowest restart).
/// </summary>
internal static class CapacitatedLloyd
{
    private const string Component = "LloydSolver";

    public static CoarsePolicy Solve(ProfitMatrix profits, int k, LloydOptions o, int threads)
    {
        var n = profits.RowCount;
        var m = profits.LevelCount;
        var (lower, upper) = CoarseChecks.Counts(Component, n, m, o.MinimumShares, o.MaximumShares, "level");
        var levels = new int[o.Restarts * k];
        var profit = new double[o.Restarts];
        var iterations = new int[o.Restarts];
        for (var r = 0; r < o.Restarts; r++)
        {
            var offered = levels.AsSpan(r * k, k);
            ProfitSeeding.Seed(profits, o.Seeding, o.SeedingSampleSize, new CausalRandom((long)o.Seed + r), offered);
            Repair(offered, lower, upper, n);
        }
        Parallel.For(0, o.Restarts, new ParallelOptions { MaxDegreeOfParallelism = threads }, r =>
            (profit[r], iterations[r]) = Run(profits, levels.AsSpan(r * k, k), lower, upper, o.MaximumIterations));
        var winner = 0;
        for (var r = 1; r < o.Restarts; r++)
        {
            if (profit[r] > profit[winner])
                winner = r;
        }
        var chosen = levels.AsSpan(winner * k, k).ToArray();
        var cell = new int[n];
        var (lo, hi) = Bounds(chosen, lower, upper);
        var (prices, dual) = CapacitatedAssignment.Assign(profits, chosen, lo, hi, cell, new TransportSolver(k, n));
        return CapacitatedAssignment.ToPolicy("Lloyd", profits, chosen, cell, prices, dual, iterations[winner], profit);
    }

    private static (double Profit, int Iterations) Run(ProfitMatrix profits, Span<int> offered, int[] lower, int[] upper, int maximumIterations)
    {
        var n = profits.RowCount;
        var m = profits.LevelCount;
        var k = offered.Length;
        var solver = new TransportSolver(k, n);
        var cell = new int[n];
        var totals = new double[k * m];
        var counts = new int[k];
        var best = offered.ToArray();
        var bestProfit = double.NegativeInfinity;
        var iteration = 0;
        while (iteration < maximumIterations)
        {
            iteration++;
            var (lo, hi) = Bounds(offered, lower, upper);
            var value = solver.Solve(profits, offered, lo, hi, cell);
            if (!(value > bestProfit))
                break;
            bestProfit = value;
            offered.CopyTo(best);
            Array.Clear(totals);
            Array.Clear(counts);
            for (var i = 0; i < n; i++)
            {
                var c = cell[i];
                counts[c]++;
                var t = totals.AsSpan(c * m, m);
                System.Numerics.Tensors.TensorPrimitives.Add(t, profits.Row(i), t);
            }
            if (!LloydSolver.MoveLevels(totals, counts, offered, m, (t, size) => size >= lower[t] && size <= upper[t], out _))
                break;
        }
        best.CopyTo(offered);
        return (bestProfit, iteration);
    }

    /// <summary>Swaps levels until the offered levels can hold exactly N persons (largest room in, smallest out), or fails clearly.</summary>
    private static void Repair(Span<int> offered, int[] lower, int[] upper, int n)
    {
        for (var guard = 0; guard <= upper.Length; guard++)
        {
            long room = 0, floor = 0;
            foreach (var t in offered)
            {
                room += upper[t];
                floor += lower[t];
            }
            if (room >= n && floor <= n)
                return;
            var worst = 0;
            var swap = -1;
            for (var a = 1; a < offered.Length; a++)
            {
                if (room < n ? upper[offered[a]] < upper[offered[worst]] : lower[offered[a]] > lower[offered[worst]])
                    worst = a;
            }
            for (var t = 0; t < upper.Length; t++)
            {
                if (offered.Contains(t))
                    continue;
                if (room < n ? upper[t] > upper[offered[worst]] && (swap < 0 || upper[t] > upper[swap])
                             : lower[t] < lower[offered[worst]] && (swap < 0 || lower[t] < lower[swap]))
                    swap = t;
            }
            if (swap < 0)
                break;
            offered[worst] = swap;
        }
        var (lo, hi) = Bounds(offered, lower, upper);
        CoarseChecks.Feasible(Component, n, lo, hi);
    }

    private static (int[] Lower, int[] Upper) Bounds(ReadOnlySpan<int> offered, int[] lower, int[] upper)
    {
        var lo = new int[offered.Length];
        var hi = new int[offered.Length];
        for (var a = 0; a < offered.Length; a++)
        {
            lo[a] = lower[offered[a]];
            hi[a] = upper[offered[a]];
        }
        return (lo, hi);
    }
}
