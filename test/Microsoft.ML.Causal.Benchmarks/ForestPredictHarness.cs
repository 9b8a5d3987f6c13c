using System.Diagnostics;
using System.Globalization;
using Microsoft.ML.Causal.Data;
using Microsoft.ML.Causal.Forests;
using Microsoft.ML.Causal.Inference;
using Microsoft.ML.Causal.Learners;
using Microsoft.ML.Causal.Persistence;
using Microsoft.ML.Causal.Simulation;
using static Microsoft.ML.Causal.Benchmarks.HarnessChild;

namespace Microsoft.ML.Causal.Benchmarks;

/// <summary>
/// Prediction only, for issue 5's benchmark: the causal forest of <see cref="ForestSpeedHarness"/> (WA design, grf's
/// defaults) is fitted once and saved to <c>--model</c> (or loaded from it when the file exists), then τ̂ with its
/// 95 % interval (from V̂) is computed for the n training rows as new rows, <c>--repeats</c> times each by two
/// variants interleaved (row, batch, row, batch, …): "row" is the public single-row
/// <c>Predict(features, level, …)</c> in a parallel loop over rows (what forest-speed timed before the batch path),
/// "batch" is <see cref="CausalForestModel.Predict(FeatureMatrix, Span{double}, Span{double})"/>. Prints each time,
/// the medians, the largest difference between the variants' τ̂ and V̂, and the load average. With
/// <c>--profile R</c> it first times (in CPU seconds), on one thread and the first R rows, the single-row path's stages: walking the
/// trees, then also averaging the leaf statistics (τ̂), then also the little-bags variance.
/// </summary>
internal static class ForestPredictHarness
{
    public static int Run(string[] args)
    {
        var rows = Arg(args, "--rows", 100000);
        var dimensions = Arg(args, "--p", 10);
        var trees = Arg(args, "--trees", 2000);
        var threads = Arg(args, "--threads", 2);
        var repeats = Arg(args, "--repeats", 3);
        var profile = Arg(args, "--profile", 0);
        var variants = List(args, "--variants", "row", "batch");
        var path = Text(args, "--model") ?? Path.Combine(Path.GetTempPath(), $"forest-predict-{rows}-{dimensions}-{trees}.model");
        var train = CateSetup.Draw("WA", rows, dimensions, 1, CateSetup.TrainSeed("WA", rows, 0));
        var model = LoadOrFit(path, train, trees, threads);
        var x = train.ToFeatureMatrix();
        Console.WriteLine($"Causal forest, WA design, n = {rows}, p = {dimensions}, {model.TreeCount} trees; predict τ̂ with 95 % interval for {rows} rows; load average {Load()}");
        if (profile > 0)
            Profile(model, x, Math.Min(profile, rows));
        var times = variants.ToDictionary(v => v, _ => new List<double>());
        var cpuTimes = variants.ToDictionary(v => v, _ => new List<double>());
        var results = new Dictionary<string, (double[] Tau, double[] Variance)>();
        for (var r = 0; r < repeats; r++)
        {
            foreach (var variant in variants)
            {
                var (tau, variance, seconds, cpuSeconds) = Time(variant, model, x, threads);
                times[variant].Add(seconds);
                cpuTimes[variant].Add(cpuSeconds);
                results[variant] = (tau, variance);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {variant,-6} {seconds,8:F2} s wall, {cpuSeconds,8:F2} s CPU   load average {Load()}"));
            }
        }
        foreach (var variant in variants)
        {
            var sorted = times[variant].Order().ToArray();
            var cpuSorted = cpuTimes[variant].Order().ToArray();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{variant}: median {sorted[sorted.Length / 2]:F2} s ({string.Join(", ", times[variant].Select(t => t.ToString("F2", CultureInfo.InvariantCulture)))}); {sorted[sorted.Length / 2] / rows * 5000:F2} s per 5000 rows; CPU median {cpuSorted[cpuSorted.Length / 2]:F2} s"));
        }
        var first = results[variants[0]];
        foreach (var variant in variants.Skip(1))
            Console.WriteLine($"{variant} vs {variants[0]}: max |Δτ̂| / max(|τ̂|, 1e-300) = {MaxRelative(first.Tau, results[variant].Tau):G3}, V̂: {MaxRelative(first.Variance, results[variant].Variance):G3}");
        return 0;
    }

    private static CausalForestModel LoadOrFit(string path, SimulatedExperiment train, int trees, int threads)
    {
        if (File.Exists(path))
        {
            using var stream = File.OpenRead(path);
            Console.WriteLine($"Loaded {path}");
            return (CausalForestModel)ModelArchive.Load(stream, out _);
        }
        var learner = new CausalForest(new CausalForestOptions { Forest = new ForestOptions { NumberOfTrees = trees } });
        var clock = Stopwatch.StartNew();
        var model = (CausalForestModel)learner.Fit(train.ToCateData(), CateSetup.Context(1, threads));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Fitted in {clock.Elapsed.TotalSeconds:F1} s; saved to {path}"));
        using (var stream = File.Create(path))
            ModelArchive.Save(model, new DataSchema([new ColumnDefinition("Features", ColumnType.Vector(model.FeatureCount))]), stream, 1);
        return model;
    }

    private static (double[] Tau, double[] Variance, double Seconds, double CpuSeconds) Time(string variant, CausalForestModel model, FeatureMatrix x, int threads)
    {
        var n = x.RowCount;
        var (tau, variance, lower, upper) = (new double[n], new double[n], new double[n], new double[n]);
        var clock = Stopwatch.StartNew();
        var cpu = CpuClock.StartNew();
        switch (variant)
        {
            case "row":
                Parallel.For(0, n, new ParallelOptions { MaxDegreeOfParallelism = threads }, i =>
                    model.Predict(x.Row(i), 0.95, tau.AsSpan(i, 1), lower.AsSpan(i, 1), upper.AsSpan(i, 1), variance.AsSpan(i, 1)));
                break;
            case "batch":
                model.Predict(x, tau, variance, new ParallelOptions { MaxDegreeOfParallelism = threads });
                var z = AverageEffect.Quantile(0.95);
                for (var i = 0; i < n; i++)
                {
                    var se = Math.Sqrt(variance[i]);
                    (lower[i], upper[i]) = (tau[i] - z * se, tau[i] + z * se);
                }
                break;
            default:
                throw new ArgumentException($"Unknown variant {variant}; use row or batch.");
        }
        return (tau, variance, clock.Elapsed.TotalSeconds, cpu.Elapsed.TotalSeconds);
    }

    /// <summary>The single-row path's stages on one thread (cumulative times for the first <paramref name="rows"/> rows).</summary>
    private static void Profile(CausalForestModel model, FeatureMatrix x, int rows)
    {
        var forest = model.Forest;
        var leaves = new int[forest.TreeCount];
        double sink = 0;
        var clock = CpuClock.StartNew();
        for (var i = 0; i < rows; i++)
        {
            forest.CollectLeaves(x.Row(i), leaves);
            sink += leaves[^1];
        }
        var walk = clock.Elapsed.TotalSeconds;
        clock.Restart();
        for (var i = 0; i < rows; i++)
        {
            forest.CollectLeaves(x.Row(i), leaves);
            sink += model.Estimate(leaves, false).Tau;
        }
        var average = clock.Elapsed.TotalSeconds;
        clock.Restart();
        for (var i = 0; i < rows; i++)
        {
            forest.CollectLeaves(x.Row(i), leaves);
            sink += model.Estimate(leaves, true).Variance;
        }
        var all = clock.Elapsed.TotalSeconds;
        clock.Restart();
        var block = new int[CausalForestModel.BlockRows];
        for (var start = 0; start < rows; start += block.Length)
        {
            var count = Math.Min(rows, start + block.Length) - start;
            for (var b = 0; b < forest.TreeCount; b++)
            {
                forest.CollectLeaves(b, x.Values.Slice(start * x.ColumnCount, count * x.ColumnCount), block.AsSpan(0, count));
                sink += block[0];
            }
        }
        var blockWalk = clock.Elapsed.TotalSeconds;
        var (tau, variance) = (new double[rows], new double[rows]);
        var one = new ParallelOptions { MaxDegreeOfParallelism = 1 };
        var head = new FeatureMatrix(x.Values[..(rows * x.ColumnCount)], rows, x.ColumnCount);
        clock.Restart();
        model.Predict(head, tau, default, one);
        var blockTau = clock.Elapsed.TotalSeconds;
        clock.Restart();
        model.Predict(head, tau, variance, one);
        var blockAll = clock.Elapsed.TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"profile (CPU s), 1 thread, {rows} rows, batch path: tree walk {blockWalk:F2} s; τ̂ {blockTau:F2} s; τ̂ and V̂ {blockAll:F2} s (per tree per row: {blockWalk / rows / forest.TreeCount * 1e9:F0} / {(blockTau - blockWalk) / rows / forest.TreeCount * 1e9:F0} / {(blockAll - blockTau) / rows / forest.TreeCount * 1e9:F0} ns)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"profile (CPU s), 1 thread, {rows} rows: tree walk {walk:F2} s; + leaf-statistics average (τ̂) {average:F2} s; + little-bags variance {all:F2} s (per tree per row: {walk / rows / forest.TreeCount * 1e9:F0} / {(average - walk) / rows / forest.TreeCount * 1e9:F0} / {(all - average) / rows / forest.TreeCount * 1e9:F0} ns); check {sink:G3}"));
    }

    private static double MaxRelative(double[] a, double[] b)
    {
        double worst = 0;
        for (var i = 0; i < a.Length; i++)
        {
            var scale = Math.Max(Math.Abs(a[i]), 1e-300);
            worst = Math.Max(worst, Math.Abs(a[i] - b[i]) / scale);
        }
        return worst;
    }

    /// <summary>The process's CPU time since the last restart: what a profile on a loaded machine should compare (wall time there mostly measures waiting).</summary>
    private sealed class CpuClock
    {
        private TimeSpan _start = Now();

        public static CpuClock StartNew() => new();

        public TimeSpan Elapsed => Now() - _start;

        public void Restart() => _start = Now();

        private static TimeSpan Now() => Process.GetCurrentProcess().TotalProcessorTime;
    }

    private static string Load() => File.ReadAllText("/proc/loadavg").Split(' ')[0];
}
