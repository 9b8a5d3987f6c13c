using System.Diagnostics;
using Microsoft.ML.Causal.Segmentation.GroupLasso;
using Microsoft.ML.Causal.Simulation;

namespace Microsoft.ML.Causal.Benchmarks;

/// <summary>
/// Whole-run harness for the group-lasso segmentation (issue 7): simulates a multi-creative experiment
/// (default 1 000 000 people, 5 segments × 4 creatives, p = 100 dense), then times a 20-value λ path and a
/// 5-fold cross-validation at one α, printing per-λ iterations, the peak resident memory (VmHWM) and the
/// feature matrix's size. <c>--solver fista</c> runs the accelerated proximal gradient instead of the default
/// majorization–minimization (whose iterations are majorization steps: one pass over the rows each, plus one).
/// </summary>
internal static class GroupLassoHarness
{
    public static int Run(string[] args)
    {
        var rows = HarnessChild.Arg(args, "--rows", 1_000_000);
        var p = HarnessChild.Arg(args, "--features", 100);
        var segments = HarnessChild.Arg(args, "--segments", 5);
        var creatives = HarnessChild.Arg(args, "--creatives", 4);
        var path = HarnessChild.Arg(args, "--path", 20);
        var folds = HarnessChild.Arg(args, "--folds", 5);
        var alpha = HarnessChild.Arg(args, "--alpha-percent", 25) / 100.0;
        var skipCv = args.Contains("--no-cv");
        var solver = Enum.Parse<GroupLassoSolver>(HarnessChild.Text(args, "--solver") ?? "Majorization", ignoreCase: true);
        var clock = Stopwatch.StartNew();
        var e = CreativeExperimentSimulation.Generate(rows, segments, creatives, p, deviatingPerSegment: 1, deviation: 0.5, signal: 0.5, seed: 1);
        var data = new MultiCreativeData(e.Features, p, e.Responses, e.Creatives, [.. e.CreativeSegments]);
        Console.WriteLine($"simulate+check: {clock.Elapsed.TotalSeconds:F1} s; feature matrix {rows * (double)p * 8 / 1e6:F0} MB; peak {HarnessChild.PeakResidentMb():F0} MB");
        var options = new GroupLassoOptions { PathLength = path, Alphas = [alpha], Folds = folds, LambdaMinRatio = 1e-2, Solver = solver };
        clock.Restart();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        // The steps of GroupLassoSegmenter.FitPath, with each λ's time printed as it finishes (a long run shows its progress).
        var engine = new GroupLassoEngine(GroupLassoDesign.Build(data), alpha, options, parallelSegments: true);
        Console.WriteLine($"  design and null model: {clock.Elapsed.TotalSeconds:F1} s");
        var lambdas = engine.PathLambdas();
        var models = new GroupLassoModel[lambdas.Length];
        for (var s = 0; s < lambdas.Length; s++)
        {
            var before = clock.Elapsed.TotalSeconds;
            engine.Solve(lambdas[s]);
            models[s] = engine.Snapshot(lambdas[s]);
            Console.WriteLine($"  λ={lambdas[s]:G4} {clock.Elapsed.TotalSeconds - before:F1} s, load {LoadAverage()}");
        }
        var fit = new GroupLassoPath(engine.Alpha, engine.LambdaMax, lambdas, models);
        var pathSeconds = clock.Elapsed.TotalSeconds;
        var pathCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
        for (var s = 0; s < fit.Lambdas.Count; s++)
            Console.WriteLine($"  λ={fit.Lambdas[s]:G4} iterations={fit.Models[s].Iterations} fused={fit.FusedCounts[s]} support={fit.CentreSupportSizes[s]} KKT={fit.Models[s].KktResidual:E1}");
        Console.WriteLine($"path ({path} λ, α={alpha}, {solver}): {pathSeconds:F1} s ({pathCpu:F1} s CPU); load {LoadAverage()}; peak {HarnessChild.PeakResidentMb():F0} MB");
        if (!skipCv)
        {
            clock.Restart();
            cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var cv = GroupLassoSegmenter.CrossValidate(data, options);
            var cvCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
            Console.WriteLine($"cv ({folds} folds × {path} λ at α={alpha}, then the path on all rows): {clock.Elapsed.TotalSeconds:F1} s ({cvCpu:F1} s CPU); load {LoadAverage()}; selected λ={cv.Selected.Lambda:G4}; peak {HarnessChild.PeakResidentMb():F0} MB");
        }
        return 0;
    }

    /// <summary>The 1-, 5- and 15-minute load averages (other jobs share the cores).</summary>
    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}
