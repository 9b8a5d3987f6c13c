using Microsoft.ML.Causal.Cli;

namespace Microsoft.ML.Causal.Tests.Cli;

/// <summary>What the CLI tests share: a temporary folder for CSV files, and the <c>causal</c> command run in-process.</summary>
public abstract class CliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("causal-cli-").FullName;

    /// <summary>The temporary folder (deleted after the test).</summary>
    protected string Folder => _dir;

    public void Dispose()
    {
        Directory.Delete(_dir, recursive: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Writes <paramref name="text"/> to a file in the folder and returns its path.</summary>
    protected string Csv(string text, string name = "data.csv")
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>
    /// A simulated multi-creative experiment as a CSV in the folder: x1 … xp, then (unless <paramref name="featuresOnly"/>)
    /// <c>segment</c> (named by <paramref name="segmentNames"/>), <c>creative</c> (<c>ad&lt;c&gt;</c>) and <c>clicked</c> (0/1).
    /// </summary>
    protected string WriteExperiment(Microsoft.ML.Causal.Simulation.CreativeExperiment e, string name, IReadOnlyList<string> segmentNames, bool featuresOnly = false)
    {
        var p = e.FeatureCount;
        var text = new System.Text.StringBuilder(string.Join(',', e.FeatureColumns)).Append(featuresOnly ? "\n" : ",segment,creative,clicked\n");
        var x = e.Features.Span;
        for (var i = 0; i < e.RowCount; i++)
        {
            text.AppendJoin(',', x.Slice(i * p, p).ToArray().Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture)));
            var c = e.Creatives.Span[i];
            text.Append(featuresOnly ? "\n" : string.Create(System.Globalization.CultureInfo.InvariantCulture, $",{segmentNames[e.CreativeSegments[c]]},ad{c},{e.Responses.Span[i]}\n"));
        }
        return Csv(text.ToString(), name);
    }

    /// <summary>A CSV the command wrote, as rows of fields (header first; no quoted fields expected).</summary>
    protected static List<string[]> ReadCsv(string path) => [.. File.ReadAllLines(path).Select(l => l.Split(','))];

    /// <summary>
    /// Asserts bad input: exit code 1, nothing on stdout, and one line on stderr naming <paramref name="path"/> and
    /// containing every <paramref name="expected"/> fragment.
    /// </summary>
    protected static void AssertBadInput((int Code, string Out, string Err) result, string path, string what, params string[] expected)
    {
        Assert.True(result.Code == 1, $"{what}: exit {result.Code}, {result.Err}");
        Assert.Equal("", result.Out);
        var line = Assert.Single(result.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(path, line);
        foreach (var e in expected)
            Assert.Contains(e, line);
    }

    /// <summary>Runs the command line; returns the exit code, stdout and stderr.</summary>
    protected static (int Code, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = CausalCli.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
