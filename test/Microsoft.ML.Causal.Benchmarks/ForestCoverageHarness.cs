using System.Globalization;
using Microsoft.ML.Causal.Forests;
using static Microsoft.ML.Causal.Benchmarks.HarnessChild;

namespace Microsoft.ML.Causal.Benchmarks;

/// <summary>
/// Issue 5's accuracy table on Wager and Athey's heterogeneity design (their Table 2, algorithms.md §7.2): n = 5000
/// training rows, d = 2, 3, 4, 5, 6, 8, a causal forest with grf's defaults (2000 trees, sample fraction 0.5 = the
/// paper's s = 2500), test-set MSE of τ̂ and the share of 1000 test points whose 95 % interval (little-bags V̂) covers
/// τ(x), averaged over replications (the paper used 40). One child process per d. <c>--min-node</c> changes grf's min node
/// size of 5 (the paper's forests used 1); <c>--honesty-fraction</c>, <c>--alpha</c> and <c>--group-size</c> change those
/// defaults, <c>--known-e</c> passes Ŵ = ½ (the design's propensity) instead of the OOB probability forest.
/// </summary>
internal static class ForestCoverageHarness
{
    public static int Run(string[] args)
    {
        var rows = Arg(args, "--rows", 5000);
        var dimensions = List(args, "--d", "2", "3", "4", "5", "6", "8").Select(int.Parse).ToArray();
        var reps = Arg(args, "--reps", 40);
        var trees = Arg(args, "--trees", 2000);
        var threads = Arg(args, "--threads", 2);
        var minNode = Arg(args, "--min-node", 5);
        var honesty = Arg(args, "--honesty-fraction", 0.5);
        var alpha = Arg(args, "--alpha", 0.05);
        var groupSize = Arg(args, "--group-size", 2);
        var knownE = args.Contains("--known-e");
        Console.WriteLine($"Causal forest (grf defaults but min node size {minNode}, honesty fraction {honesty}, alpha {alpha}, groups of {groupSize}, {trees} trees" +
            $"{(knownE ? ", Ŵ = 0.5 given" : "")}), Wager–Athey design 2, n = {rows}, 1000 test points, {reps} replications, {threads} threads:");
        Console.WriteLine();
        Console.WriteLine("| d | test MSE (mean) | MSE range | 95 % coverage (mean) | coverage range | mean interval width | fit s per replication |");
        Console.WriteLine("|---:|---:|---|---:|---|---:|---:|");
        foreach (var d in dimensions)
        {
            var r = HarnessChild.Run("forest-coverage", new object[] { rows, d, reps, trees, threads, minNode, honesty, alpha, groupSize, knownE ? 1 : 0 }
                .Select(v => Convert.ToString(v, CultureInfo.InvariantCulture)!));
            Console.WriteLine($"| {d} | {F(r.Number("mse"), 4)} | {F(r.Number("mseMin"), 4)}–{F(r.Number("mseMax"), 4)} | {F(r.Number("coverage"), 3)} | " +
                $"{F(r.Number("coverageMin"), 3)}–{F(r.Number("coverageMax"), 3)} | {F(r.Number("width"), 3)} | {F(r.Number("fitS"), 1)} |");
        }
        return 0;
    }

    public static int RunChild(string[] args)
    {
        var (rows, dimensions, reps, trees, threads, minNode) = (Int(args[0]), Int(args[1]), Int(args[2]), Int(args[3]), Int(args[4]), Int(args[5]));
        var (honesty, alpha, groupSize, knownE) = (Number(args[6]), Number(args[7]), Int(args[8]), args[9] == "1");
        var test = CateSetup.Draw("WA", 1000, dimensions, 1, CausalContext.DeriveSeed(CateSetup.TestSeed("WA"), dimensions));
        var (mse, coverage, width) = (new List<double>(), new List<double>(), new List<double>());
        var fit = 0.0;
        for (var rep = 0; rep < reps; rep++)
        {
            var seed = CausalContext.DeriveSeed(CateSetup.TrainSeed("WA", rows, rep), dimensions);
            var train = CateSetup.Draw("WA", rows, dimensions, 1, seed);
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var forest = new ForestOptions { NumberOfTrees = trees, MinNodeSize = minNode, HonestyFraction = honesty, Alpha = alpha, CiGroupSize = groupSize };
            var given = knownE ? Enumerable.Repeat(0.5, rows).ToArray() : null; // the design's e(x) = ½, as an RCT's user would pass it
            var model = (CausalForestModel)new CausalForest(new CausalForestOptions { Forest = forest, TreatmentEstimates = given })
                .Fit(train.ToCateData(), CateSetup.Context(seed, threads));
            fit += clock.Elapsed.TotalSeconds;
            var score = ForestSpeedHarness.Score(model, test);
            mse.Add(score.Mse);
            coverage.Add(score.Coverage);
            width.Add(score.Width);
            Console.Error.WriteLine($"  d={dimensions} rep {rep + 1}/{reps}: MSE {F(mse[^1], 4)}, coverage {F(coverage[^1], 3)}");
        }
        Console.WriteLine(Line(("mse", mse.Average()), ("mseMin", mse.Min()), ("mseMax", mse.Max()), ("coverage", coverage.Average()),
            ("coverageMin", coverage.Min()), ("coverageMax", coverage.Max()), ("width", width.Average()), ("fitS", fit / reps)));
        return 0;
    }
}
