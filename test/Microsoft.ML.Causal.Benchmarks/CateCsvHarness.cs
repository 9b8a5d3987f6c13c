using System.Globalization;
using static Microsoft.ML.Causal.Benchmarks.HarnessChild;

namespace Microsoft.ML.Causal.Benchmarks;

/// <summary>
/// Writes the training draw (replication 1) and the test set the CATE harnesses use for one design and size as two CSV
/// files, so that a peer tool can fit exactly the same data: columns x1..xp, w, y, tau (the true effect). Used by
/// <c>dr-vs-sklearn.sh</c> (issue 4's speed benchmark).
/// </summary>
internal static class CateCsvHarness
{
    public static int Run(string[] args)
    {
        var design = Text(args, "--design") ?? "WA";
        var rows = Arg(args, "--rows", 100_000);
        var dimensions = Arg(args, "--p", 10);
        var testRows = Arg(args, "--test", 5000);
        var output = Text(args, "--out") ?? ".";
        Directory.CreateDirectory(output);
        var train = CateSetup.Draw(design, rows, dimensions, 1.0, CateSetup.TrainSeed(design, rows, 0));
        var test = CateSetup.Draw(design, testRows, dimensions, 1.0, CateSetup.TestSeed(design));
        Write(Path.Combine(output, $"{design}-{rows}x{dimensions}-train.csv"), train);
        Write(Path.Combine(output, $"{design}-{rows}x{dimensions}-test.csv"), test);
        return 0;
    }

    private static void Write(string path, Simulation.SimulatedExperiment data)
    {
        using var writer = new StreamWriter(path);
        var p = data.Dimensions;
        writer.WriteLine(string.Join(',', Enumerable.Range(1, p).Select(j => $"x{j}").Concat(["w", "y", "tau"])));
        var line = new string[p + 3];
        for (var r = 0; r < data.RowCount; r++)
        {
            for (var j = 0; j < p; j++)
                line[j] = data.Features[r * p + j].ToString("R", CultureInfo.InvariantCulture);
            line[p] = data.Treatment[r].ToString("R", CultureInfo.InvariantCulture);
            line[p + 1] = data.Outcome[r].ToString("R", CultureInfo.InvariantCulture);
            line[p + 2] = data.Effect[r].ToString("R", CultureInfo.InvariantCulture);
            writer.WriteLine(string.Join(',', line));
        }
    }
}
