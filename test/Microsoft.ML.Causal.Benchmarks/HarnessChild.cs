using System.Diagnostics;
using System.Globalization;

namespace Microsoft.ML.Causal.Benchmarks;

/// <summary>
/// What the whole-run harnesses share: each measured run is a child process of this program (so its wall time and
/// peak resident memory are its alone) that prints one line of <c>key=value</c> pairs; plus argument parsing.
/// </summary>
internal static class HarnessChild
{
    /// <summary>Runs <c>child <paramref name="harness"/> <paramref name="args"/></c> and returns the pairs of its last output line.</summary>
    public static Dictionary<string, string> Run(string harness, IEnumerable<string> args)
    {
        var self = Environment.ProcessPath!;
        var info = new ProcessStartInfo(self) { RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
            info.ArgumentList.Add(typeof(HarnessChild).Assembly.Location);
        info.ArgumentList.Add("child");
        info.ArgumentList.Add(harness);
        foreach (var a in args)
            info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"The {harness} child ({string.Join(' ', info.ArgumentList.Skip(1))}) failed with exit code {process.ExitCode}.");
        var last = output.TrimEnd().Split('\n')[^1];
        return last.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
    }

    /// <summary>A number the child reported.</summary>
    public static double Number(this Dictionary<string, string> pairs, string key) => double.Parse(pairs[key], CultureInfo.InvariantCulture);

    /// <summary>The line a child prints: <c>key=value</c> pairs, numbers in round-trip format; the peak resident memory is appended.</summary>
    public static string Line(params (string Key, double Value)[] pairs) =>
        string.Join(' ', pairs.Append(("peakMb", PeakResidentMb())).Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Item1}={p.Item2:R}")));

    /// <summary>The process's peak resident set (VmHWM) in MB, from /proc (Linux).</summary>
    public static double PeakResidentMb()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
        }
        return double.NaN;
    }

    /// <summary>An integer argument of a child process.</summary>
    public static int Int(string s) => int.Parse(s, CultureInfo.InvariantCulture);

    /// <summary>A number argument of a child process.</summary>
    public static double Number(string s) => double.Parse(s, CultureInfo.InvariantCulture);

    /// <summary>The integer after <paramref name="name"/>, or <paramref name="fallback"/>.</summary>
    public static int Arg(string[] args, string name, int fallback) => Text(args, name) is { } s ? int.Parse(s, CultureInfo.InvariantCulture) : fallback;

    /// <summary>The value after <paramref name="name"/> as a number, or <paramref name="fallback"/>.</summary>
    public static double Arg(string[] args, string name, double fallback) => Text(args, name) is { } s ? double.Parse(s, CultureInfo.InvariantCulture) : fallback;

    /// <summary>The comma-separated list after <paramref name="name"/>, or <paramref name="fallback"/>.</summary>
    public static string[] List(string[] args, string name, params string[] fallback) => Text(args, name)?.Split(',') ?? fallback;

    /// <summary>The text after <paramref name="name"/>, or null.</summary>
    public static string? Text(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    /// <summary>Formats with the invariant culture.</summary>
    public static string F(double value, int digits = 3) => double.IsNaN(value) ? "" : value.ToString($"F{digits}", CultureInfo.InvariantCulture);
}
