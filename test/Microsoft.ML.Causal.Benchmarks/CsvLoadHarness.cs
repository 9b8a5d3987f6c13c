using System.Diagnostics;
using System.Globalization;

namespace Microsoft.ML.Causal.Benchmarks;

/// <summary>
/// Whole-run harness for the CSV load: each variant runs in a child process of its own, so its wall time and
/// peak resident memory (VmHWM) are its alone. Prints a markdown table for RESULTS.md.
/// </summary>
internal static class CsvLoadHarness
{
    public static int Run(string[] args)
    {
        var rows = HarnessChild.Arg(args, "--rows", 1_000_000);
        var columns = HarnessChild.Arg(args, "--cols", 20);
        var repeats = HarnessChild.Arg(args, "--repeats", 3);
        var path = CsvVariants.Generate(Path.Combine(Path.GetTempPath(), "causal-bench", $"numeric-{rows}x{columns}.csv"), rows, columns);
        var doubles = (double)rows * columns * sizeof(double);
        Console.WriteLine($"File {path}: {new FileInfo(path).Length / 1e6:F1} MB, {rows:N0} rows × {columns} columns; the doubles take {doubles / 1e6:F0} MB.");
        Console.WriteLine();
        Console.WriteLine("| variant | median s | × baseline | peak RSS MB | RSS above start MB | (RSS above start) / doubles |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        double? baseline = null;
        foreach (var variant in CsvVariants.Names)
        {
            var runs = Enumerable.Range(0, repeats).Select(_ => Child(variant, path, columns)).ToList();
            var seconds = runs.Select(r => r.Seconds).Order().ElementAt(runs.Count / 2);
            var peak = runs.Max(r => r.PeakMb);
            var above = runs.Max(r => r.PeakMb - r.StartMb);
            baseline ??= seconds;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {variant} | {seconds:F2} | {seconds / baseline:F2} | {peak:F0} | {above:F0} | {above * 1e6 / doubles:F2} |"));
        }
        return 0;
    }

    /// <summary>In the child: measure one variant and print "seconds startMb peakMb".</summary>
    public static int RunChild(string[] args)
    {
        var (variant, path, columns) = (args[0], args[1], int.Parse(args[2], CultureInfo.InvariantCulture));
        var start = HarnessChild.PeakResidentMb();
        var watch = Stopwatch.StartNew();
        var checksum = CsvVariants.Run(variant, path, columns);
        watch.Stop();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{watch.Elapsed.TotalSeconds:R} {start:R} {HarnessChild.PeakResidentMb():R} {checksum:R}"));
        return 0;
    }

    private static (double Seconds, double StartMb, double PeakMb) Child(string variant, string path, int columns)
    {
        var self = Environment.ProcessPath!;
        var info = new ProcessStartInfo(self) { RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
            info.ArgumentList.Add(typeof(CsvLoadHarness).Assembly.Location);
        foreach (var a in new[] { "child", "csv-load", variant, path, columns.ToString(CultureInfo.InvariantCulture) })
            info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"The {variant} child failed with exit code {process.ExitCode}.");
        var parts = output.Trim().Split(' ');
        return (double.Parse(parts[0], CultureInfo.InvariantCulture), double.Parse(parts[1], CultureInfo.InvariantCulture), double.Parse(parts[2], CultureInfo.InvariantCulture));
    }
}
