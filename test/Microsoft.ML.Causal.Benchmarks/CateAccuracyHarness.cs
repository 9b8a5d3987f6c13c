using System.Diagnostics;
using System.Globalization;
using Microsoft.ML.Causal.Inference;
using Microsoft.ML.Causal.Learners;
using static Microsoft.ML.Causal.Benchmarks.HarnessChild;

namespace Microsoft.ML.Causal.Benchmarks;

/// <summary>
/// Whole-run harness for CATE accuracy (issue 4): every (design, n, method) fits in a child process of its own and
/// reports the test RMSE of τ̂ against the true τ(x), fit and predict seconds and peak RSS. The default run matches
/// the columns of <c>docs/peer-baselines.md</c> (p = 10, σ = 1, one 5000-row test set per design) and prints the
/// peers' figures beside ours; <c>--paper</c> runs the R-learner paper's setting (n = 500, d = 6, test set of size n,
/// several draws, MSE) beside its boosting table.
/// </summary>
internal static class CateAccuracyHarness
{
    private static readonly (string Design, int Rows, int Dimensions)[] PaperSettings = [("A", 500, 6), ("A", 1000, 12), ("B", 500, 6), ("C", 500, 6), ("D", 500, 6)];

    public static int Run(string[] args)
    {
        var methods = List(args, "--methods", CateSetup.Methods);
        var threads = Arg(args, "--threads", 2);
        return args.Contains("--paper") ? RunPaper(args, methods, threads) : RunPeers(args, methods, threads);
    }

    /// <summary>In the child: fit one method on <c>reps</c> draws and print the mean MSE, its spread, seconds and the ATE of the last draw.</summary>
    public static int RunChild(string[] args)
    {
        var design = args[0];
        var (rows, dimensions, testRows, reps, threads) = (Int(args[1]), Int(args[2]), Int(args[4]), Int(args[5]), Int(args[7]));
        var noise = Number(args[3]);
        var method = args[6];
        var test = CateSetup.Draw(design, testRows, dimensions, noise, CateSetup.TestSeed(design));
        var mse = new List<double>();
        var trees = new TreeCounter();
        double fit = 0, fitCpu = 0, predict = 0, ate = 0, ateSe = 0, trueAte = 0, clipped = 0;
        for (var rep = 0; rep < reps; rep++)
        {
            var train = CateSetup.Draw(design, rows, dimensions, noise, CateSetup.TrainSeed(design, rows, rep));
            var data = train.ToCateData();
            var watch = Stopwatch.StartNew();
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var model = CateSetup.Create(method).Fit(data, CateSetup.Context(rep + 1, threads) with { Progress = trees });
            fit += watch.Elapsed.TotalSeconds;
            fitCpu += (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
            watch.Restart();
            mse.Add(CateSetup.Mse(model, test));
            predict += watch.Elapsed.TotalSeconds;
            var average = model.AverageEffects.First(e => e.Estimand == Estimand.Ate);
            (ate, ateSe, trueAte) = (average.Estimate, average.StandardError, train.Effect.Average());
            clipped = model.Overlap?.ShareClipped ?? 0;
        }
        var mean = mse.Average();
        var sd = reps > 1 ? Math.Sqrt(mse.Sum(v => (v - mean) * (v - mean)) / (reps - 1)) : 0;
        Console.WriteLine(Line(("mse", mean), ("mseSd", sd), ("fitS", fit / reps), ("fitCpuS", fitCpu / reps), ("predictS", predict / reps), ("ate", ate), ("ateSe", ateSe), ("trueAte", trueAte), ("clipped", clipped), ("fits", (double)trees.Fits / reps), ("trees", (double)trees.Trees / reps)));
        return 0;
    }

    /// <summary>Runs one child and returns its pairs.</summary>
    public static Dictionary<string, string> Child(string design, int rows, int dimensions, double noise, int testRows, int reps, string method, int threads)
    {
        var result = HarnessChild.Run("cate-accuracy", [design, S(rows), S(dimensions), noise.ToString("R", CultureInfo.InvariantCulture), S(testRows), S(reps), method, S(threads)]);
        Console.Error.WriteLine($"  {design} n={rows} d={dimensions} {method}: MSE {F(result.Number("mse"), 4)}, fit {F(result.Number("fitS"), 1)} s, peak {F(result.Number("peakMb"), 0)} MB");
        return result;
    }

    private static int RunPeers(string[] args, string[] methods, int threads)
    {
        var designs = List(args, "--designs", CateSetup.Designs);
        var sizes = List(args, "--sizes", "2000", "10000").Select(Int).ToArray();
        var dimensions = Arg(args, "--p", 10);
        var testRows = Arg(args, "--test", 5000);
        var results = new Dictionary<(string, int, string), Dictionary<string, string>>();
        foreach (var design in designs)
        {
            foreach (var n in sizes)
            {
                foreach (var method in methods)
                    results[(design, n, method)] = Child(design, n, dimensions, 1.0, testRows, 1, method, threads);
            }
        }
        string Ours(string design, int n, string method, string key, int digits) =>
            results.TryGetValue((design, n, method), out var r) ? F(key == "rmse" ? Math.Sqrt(r.Number("mse")) : r.Number(key), digits) : "";

        Console.WriteLine($"Test RMSE of τ̂ ({testRows} test rows per design, p = {dimensions}, σ = 1, {threads} threads); ours (library defaults) beside EconML / grf from peer-baselines.md:");
        Console.WriteLine();
        Console.WriteLine("| design | n | X ours | X EconML | S ours | S EconML | T ours | T EconML | DR ours | DR EconML | R ours | LinearDML ours | causal forest ours | grf | EconML CF-DML |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var design in designs)
        {
            foreach (var n in sizes)
            {
                if (!PeerBaselines.Rmse.TryGetValue((design, n), out var peer))
                    peer = (double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);
                Console.WriteLine($"| {design} | {n} | {Ours(design, n, "x", "rmse", 3)} | {F(peer.X)} | {Ours(design, n, "s", "rmse", 3)} | {F(peer.S)} | " +
                    $"{Ours(design, n, "t", "rmse", 3)} | {F(peer.T)} | {Ours(design, n, "dr", "rmse", 3)} | {F(peer.Dr)} | {Ours(design, n, "r", "rmse", 3)} | " +
                    $"{Ours(design, n, "linear-dml", "rmse", 3)} | {Ours(design, n, "causal-forest", "rmse", 3)} | {F(peer.Grf)} | {F(peer.CfDml)} |");
            }
        }
        Console.WriteLine();
        Console.WriteLine("Fit seconds (cross-fitted AIPW nuisances for the average effects included) / peak RSS MB, ours:");
        Console.WriteLine();
        Console.WriteLine($"| design | n | {string.Join(" | ", methods)} |");
        Console.WriteLine($"|---|---:|{string.Concat(methods.Select(_ => "---:|"))}");
        foreach (var design in designs)
        {
            foreach (var n in sizes)
                Console.WriteLine($"| {design} | {n} | {string.Join(" | ", methods.Select(m => $"{Ours(design, n, m, "fitS", 1)} / {Ours(design, n, m, "peakMb", 0)}"))} |");
        }
        Console.WriteLine();
        Console.WriteLine("AIPW ATE ± SE of the DR fit against the training sample's mean τ:");
        foreach (var design in designs)
        {
            foreach (var n in sizes)
            {
                if (results.TryGetValue((design, n, "dr"), out var r))
                    Console.WriteLine($"  {design} n={n}: {F(r.Number("ate"))} ± {F(r.Number("ateSe"))} (truth {F(r.Number("trueAte"))}), clipped share {F(r.Number("clipped"), 4)}");
            }
        }
        return 0;
    }

    private static int RunPaper(string[] args, string[] methods, int threads)
    {
        var reps = Arg(args, "--reps", 10);
        var results = new Dictionary<((string, int, int), string), Dictionary<string, string>>();
        foreach (var setting in PaperSettings)
        {
            foreach (var method in methods)
                results[(setting, method)] = Child(setting.Design, setting.Rows, setting.Dimensions, 1.0, setting.Rows, reps, method, threads);
        }
        string Ours((string, int, int) setting, string method) => results.TryGetValue((setting, method), out var r)
            ? $"{F(r.Number("mse"), 3)} ± {F(r.Number("mseSd") / Math.Sqrt(reps), 3)}" : "";

        Console.WriteLine($"R-learner paper's setting: σ = 1, test set of size n, {reps} draws; mean test MSE of τ̂ ± its standard error over the draws (ours), beside the paper's boosting MSEs:");
        Console.WriteLine();
        Console.WriteLine("| setup, n, d | S ours | S paper | T ours | T paper | X ours | X paper | R ours | R paper | DR ours | LinearDML ours |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var setting in PaperSettings)
        {
            var paper = PeerBaselines.NieWagerBoostingMse[setting];
            Console.WriteLine($"| {setting.Design}, {setting.Rows}, {setting.Dimensions} | {Ours(setting, "s")} | {F(paper.S, 2)} | {Ours(setting, "t")} | {F(paper.T, 2)} | " +
                $"{Ours(setting, "x")} | {F(paper.X, 2)} | {Ours(setting, "r")} | {F(paper.R, 2)} | {Ours(setting, "dr")} | {Ours(setting, "linear-dml")} |");
        }
        return 0;
    }

    /// <summary>Counts the boosting fits and trees of a fit from its progress reports (one per tree).</summary>
    private sealed class TreeCounter : IProgress<LearnerProgress>
    {
        private int _fits;
        private int _trees;

        public int Fits => _fits;

        public int Trees => _trees;

        public void Report(LearnerProgress value)
        {
            Interlocked.Increment(ref _trees);
            if (value.Done == 1)
                Interlocked.Increment(ref _fits);
        }
    }

    private static string S(int value) => value.ToString(CultureInfo.InvariantCulture);
}
