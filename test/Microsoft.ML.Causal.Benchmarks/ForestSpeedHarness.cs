using System.Diagnostics;
using System.Globalization;
using Microsoft.ML.Causal.Forests;
using Microsoft.ML.Causal.Simulation;
using Microsoft.ML.Causal.Inference;
using static Microsoft.ML.Causal.Benchmarks.HarnessChild;

namespace Microsoft.ML.Causal.Benchmarks;

/// <summary>
/// Issue 5's benchmark: a causal forest with grf's defaults on the Wager–Athey design (n training rows, d features,
/// 2000 trees): fit time, predict-with-variance time for n rows, peak memory, model size, and the test RMSE on the
/// 5000-row test set of the accuracy harness, beside grf's row of peer-baselines.md.
/// </summary>
internal static class ForestSpeedHarness
{
    public static int Run(string[] args)
    {
        var rows = Arg(args, "--rows", 100000);
        var dimensions = Arg(args, "--p", 10);
        var trees = Arg(args, "--trees", 2000);
        var threads = Arg(args, "--threads", 2);
        var r = HarnessChild.Run("forest-speed", new[] { rows, dimensions, trees, threads }.Select(v => v.ToString(CultureInfo.InvariantCulture)));
        Console.WriteLine($"Causal forest, WA design, n = {rows}, p = {dimensions}, {trees} trees, {threads} threads:");
        Console.WriteLine();
        Console.WriteLine("| fit s | predict τ̂ with 95 % interval (from V̂) for n rows, s | peak RSS MB | model MB (trees / leaf statistics / per-row arrays) | test RMSE | 95 % coverage |");
        Console.WriteLine("|---:|---:|---:|---|---:|---:|");
        Console.WriteLine($"| {F(r.Number("fitS"), 1)} | {F(r.Number("predictS"), 1)} | {F(r.Number("peakMb"), 0)} | {F(r.Number("modelMb"), 1)} ({F(r.Number("treesMb"), 1)} / {F(r.Number("leafMb"), 1)} / {F(r.Number("rowsMb"), 1)}) | {F(r.Number("rmse"), 3)} | {F(r.Number("coverage"), 3)} |");
        Console.WriteLine();
        Console.WriteLine("grf 2.6.1 (peer-baselines.md, WA n = 100000, 2 threads): fit 613 s, predict 5000 rows with variance 18.7 s, RMSE 0.067, coverage 0.974.");
        return 0;
    }

    public static int RunChild(string[] args)
    {
        var (rows, dimensions, trees, threads) = (Int(args[0]), Int(args[1]), Int(args[2]), Int(args[3]));
        var train = CateSetup.Draw("WA", rows, dimensions, 1, CateSetup.TrainSeed("WA", rows, 0));
        var test = CateSetup.Draw("WA", 5000, dimensions, 1, CateSetup.TestSeed("WA"));
        var learner = new CausalForest(new CausalForestOptions { Forest = new ForestOptions { NumberOfTrees = trees } });
        var clock = Stopwatch.StartNew();
        var model = (CausalForestModel)learner.Fit(train.ToCateData(), CateSetup.Context(1, threads));
        var fitS = clock.Elapsed.TotalSeconds;

        var x = train.ToFeatureMatrix();
        clock.Restart();
        var (tau, variance, sink) = (new double[rows], new double[rows], new double[rows]);
        model.Predict(x, tau, variance); // the batch path: blocks of rows walk each tree in turn, in parallel over blocks
        var z = AverageEffect.Quantile(0.95);
        for (var i = 0; i < rows; i++)
        {
            var se = Math.Sqrt(variance[i]);
            sink[i] = tau[i] + (tau[i] - z * se) + (tau[i] + z * se);
        }
        var predictS = clock.Elapsed.TotalSeconds;

        var (mse, coverage, _) = Score(model, test);
        var size = model.Size;
        const double Mb = 1024 * 1024;
        Console.WriteLine(Line(("fitS", fitS), ("predictS", predictS), ("rmse", Math.Sqrt(mse)), ("coverage", coverage),
            ("modelMb", size.Total / Mb), ("treesMb", size.Trees / Mb), ("leafMb", (size.LeafStatistics + size.LeafRows) / Mb), ("rowsMb", size.TrainingRows / Mb), ("check", sink.Sum())));
        return 0;
    }

    /// <summary>On a simulated test set (batch path): the MSE of τ̂, the share of rows whose 95 % interval τ̂ ± z·√V̂ covers τ, and the mean interval width.</summary>
    public static (double Mse, double Coverage, double Width) Score(CausalForestModel model, SimulatedExperiment test)
    {
        var n = test.RowCount;
        var (tau, variance) = (new double[n], new double[n]);
        model.Predict(test.ToFeatureMatrix(), tau, variance);
        var z = AverageEffect.Quantile(0.95);
        double sum = 0, covered = 0, width = 0;
        for (var i = 0; i < n; i++)
        {
            var error = tau[i] - test.Effect[i];
            var half = z * Math.Sqrt(variance[i]);
            sum += error * error;
            covered += Math.Abs(error) <= half ? 1 : 0;
            width += 2 * half;
        }
        return (sum / n, covered / n, width / n);
    }
}
