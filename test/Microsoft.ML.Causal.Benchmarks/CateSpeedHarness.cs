using static Microsoft.ML.Causal.Benchmarks.HarnessChild;

namespace Microsoft.ML.Causal.Benchmarks;

/// <summary>
/// Whole-run harness for CATE fit speed (issue 4): the DR- and X-learners with the library's default boosting
/// nuisances and 5-fold cross-fitting on Wager–Athey's heterogeneity design at the sizes of peer-baselines.md's speed
/// table (p = 10), then the DR-learner at a large size (default 1 000 000 × 20). Each run is a child process of its
/// own (fit seconds, predict seconds, peak RSS) and reports the RMSE of τ̂ on a held-out 5000-row set. A method
/// "dr:2" fits with 2 folds, as EconML's DRLearner does by default (cv = 2).
/// </summary>
internal static class CateSpeedHarness
{
    public static int Run(string[] args)
    {
        var threads = Arg(args, "--threads", 2);
        var sizes = List(args, "--sizes", "2000", "10000", "100000").Select(int.Parse).ToArray();
        var methods = List(args, "--methods", "dr", "dr:2", "x");
        var big = Arg(args, "--big", 1_000_000);
        var bigDimensions = Arg(args, "--big-p", 20);
        var runs = sizes.SelectMany(n => methods.Select(m => (Rows: n, Dimensions: 10, Method: m))).ToList();
        if (big > 0)
            runs.Add((big, bigDimensions, "dr"));
        Console.WriteLine($"Wager–Athey heterogeneity design (σ = 1), library defaults (5 folds, boosting nuisances with early stopping), {threads} threads; held-out 5000 rows:");
        Console.WriteLine();
        Console.WriteLine("| n | p | method | fit s ours | fit CPU s ours | fit s EconML | ours / EconML | predict 5000 rows s | RMSE ours | RMSE EconML | peak RSS MB | boosting fits / trees |");
        Console.WriteLine("|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var (rows, dimensions, method) in runs)
        {
            var r = CateAccuracyHarness.Child("WA", rows, dimensions, 1.0, 5000, 1, method, threads);
            var fit = r.Number("fitS");
            var dr = method.StartsWith("dr", StringComparison.Ordinal);
            var peerFit = dimensions == 10 && PeerBaselines.WagerAtheyFitSeconds.TryGetValue(rows, out var s) ? (dr ? s.Dr : s.X) : double.NaN;
            var peerRmse = dimensions == 10 && PeerBaselines.Rmse.TryGetValue(("WA", rows), out var p) ? (dr ? p.Dr : p.X) : double.NaN;
            Console.WriteLine($"| {rows} | {dimensions} | {method} | {F(fit, 1)} | {F(r.Number("fitCpuS"), 1)} | {F(peerFit, 1)} | {F(fit / peerFit, 2)} | {F(r.Number("predictS"), 3)} | " +
                $"{F(Math.Sqrt(r.Number("mse")))} | {F(peerRmse)} | {F(r.Number("peakMb"), 0)} | {F(r.Number("fits"), 0)} / {F(r.Number("trees"), 0)} |");
        }
        return 0;
    }
}
