using System.Diagnostics;
using Microsoft.ML.Causal.Segmentation.CoarsePersonalization;
using Microsoft.ML.Causal.Simulation;

namespace Microsoft.ML.Causal.Benchmarks;

/// <summary>
/// Coarse personalization's step 2 at scale (issue 6): the promotions simulator's true profits for N persons × M levels,
/// Lloyd with R restarts for K levels, then the exact capacitated assignment on Lloyd's levels with the most popular level
/// capped at half its free share, and a fixed-shares assignment on N_pot persons whose profits are written for POT's
/// <c>ot.emd</c> (see coarse-vs-pot.py). Reports wall seconds, managed bytes allocated by each step and the peak resident set.
/// </summary>
internal static class CoarseHarness
{
    public static int Run(string[] args)
    {
        var rows = HarnessChild.Arg(args, "--rows", 1_000_000);
        var levels = HarnessChild.Arg(args, "--levels", 50);
        var k = HarnessChild.Arg(args, "--k", 5);
        var restarts = HarnessChild.Arg(args, "--restarts", 20);
        var threads = HarnessChild.Arg(args, "--threads", 2);
        var potRows = HarnessChild.Arg(args, "--pot-rows", 100_000);
        var potOut = HarnessChild.Text(args, "--pot-out");
        var start = Stopwatch.StartNew();
        var experiment = PromotionSimulation.Generate(rows, seed: 1, levels: levels);
        var profits = new ProfitMatrix(experiment.TrueIncrementalProfit, rows, levels);
        Say($"simulated {rows:N0} × {levels} in {start.Elapsed.TotalSeconds:F1} s; peak RSS so far {HarnessChild.PeakResidentMb():F0} MB");

        var (lloyd, lloydSeconds, lloydBytes) = Measure(() =>
            new LloydSolver(new LloydOptions { Restarts = restarts, MaxDegreeOfParallelism = threads, Seed = 1, SwapRefinement = !args.Contains("--no-swap") }).Solve(profits, k));
        var score = CoarseEvaluation.Score(profits, lloyd);
        Say($"Lloyd K={k}, {restarts} restarts, {threads} threads: {lloydSeconds:F2} s, {lloydBytes / 1e6:F0} MB allocated, sweeps of the winner {lloyd.Iterations}, " +
            $"levels [{string.Join(", ", lloyd.LevelNames)}], ratio {score.Ratio:P3}, recovery {score.Recovery:P2}; peak RSS {HarnessChild.PeakResidentMb():F0} MB");

        var busiest = Enumerable.Range(0, lloyd.Levels.Count).MaxBy(a => lloyd.Counts[a]);
        var caps = Enumerable.Repeat(1.0, lloyd.Levels.Count).ToArray();
        caps[busiest] = 0.5 * lloyd.Shares[busiest];
        var (capped, capSeconds, capBytes) = Measure(() => CapacitatedAssignment.Solve(profits, lloyd.Levels, maximumShares: caps));
        Say($"capacitated assignment (level {lloyd.LevelNames[busiest]} ≤ {caps[busiest]:P1}): {capSeconds:F2} s, {capBytes / 1e6:F0} MB allocated, " +
            $"share {capped.Shares[busiest]:P3}, profit {capped.Profit:F1} vs free {lloyd.Profit:F1}, dual gap {capped.DualObjective - capped.Profit:E2}; peak RSS {HarnessChild.PeakResidentMb():F0} MB");

        // The fixed-shares problem for POT: the first potRows persons, Lloyd's levels, shares = Lloyd's shares rounded to whole persons.
        var small = new double[potRows * lloyd.Levels.Count];
        for (var i = 0; i < potRows; i++)
            for (var a = 0; a < lloyd.Levels.Count; a++)
                small[i * lloyd.Levels.Count + a] = profits[i, lloyd.Levels[a]];
        var smallProfits = new ProfitMatrix(small, potRows, lloyd.Levels.Count);
        var counts = Apportion(lloyd.Shares, potRows);
        var shares = counts.Select(c => (double)c / potRows).ToArray();
        var all = Enumerable.Range(0, lloyd.Levels.Count).ToArray();
        var (fixedPolicy, fixedSeconds, _) = Measure(() => CapacitatedAssignment.Solve(smallProfits, all, shares, shares));
        Say($"fixed shares on {potRows:N0} persons: {fixedSeconds:F3} s, profit {fixedPolicy.Profit:R}, counts [{string.Join(", ", fixedPolicy.Counts)}]");
        if (potOut is not null)
        {
            using (var writer = new BinaryWriter(File.Create(potOut + ".profits.f64")))
                foreach (var v in small)
                    writer.Write(v);
            File.WriteAllText(potOut + ".counts.txt", string.Join(' ', counts));
            Say($"wrote {potOut}.profits.f64 ({potRows} × {lloyd.Levels.Count} float64, row-major) and {potOut}.counts.txt");
        }
        return 0;
    }

    /// <summary>Whole-person counts for the shares (largest remainders), summing to n.</summary>
    private static int[] Apportion(IReadOnlyList<double> shares, int n)
    {
        var counts = shares.Select(s => (int)Math.Floor(s * n)).ToArray();
        var order = Enumerable.Range(0, shares.Count).OrderByDescending(a => shares[a] * n - counts[a]).ToArray();
        for (var q = 0; counts.Sum() < n; q++)
            counts[order[q % order.Length]]++;
        return counts;
    }

    private static (T Result, double Seconds, long Bytes) Measure<T>(Func<T> run)
    {
        var bytes = GC.GetTotalAllocatedBytes(precise: true);
        var watch = Stopwatch.StartNew();
        var result = run();
        return (result, watch.Elapsed.TotalSeconds, GC.GetTotalAllocatedBytes(precise: true) - bytes);
    }

    private static void Say(string line) => Console.WriteLine(line);
}
