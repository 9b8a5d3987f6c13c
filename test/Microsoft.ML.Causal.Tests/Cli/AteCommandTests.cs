using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.ML.Causal.Cli.Commands;
using Microsoft.ML.Causal.Data;
using Microsoft.ML.Causal.Numerics;
using Microsoft.ML.Causal.Trainers;

namespace Microsoft.ML.Causal.Tests.Cli;

/// <summary><c>causal ate</c> and the common data flags, run in-process on temporary CSV files.</summary>
public sealed class AteCommandTests : CliTests
{
    /// <summary>
    /// n rows: x ~ N(0, 1), a city, a cluster, an arm drawn with P ∝ e^{x} for "1" (and e^{−x} for "2" when
    /// <paramref name="arms"/> is 3), y = x + arm effect + ε.
    /// </summary>
    private string Simulated(int n = 300, int arms = 2)
    {
        var random = new CausalRandom(5);
        var text = new StringBuilder("y,w,x,city,g\n");
        for (var i = 0; i < n; i++)
        {
            var x = random.NextGaussian();
            double p1 = Math.Exp(x), p2 = arms == 3 ? Math.Exp(-x) : 0, u = random.NextDouble() * (1 + p1 + p2);
            var w = u < 1 ? 0 : u < 1 + p1 ? 1 : 2;
            var y = x + (w == 1 ? 1 : w == 2 ? -1 : 0) + random.NextGaussian();
            text.Append(CultureInfo.InvariantCulture, $"{y:R},{w},{x:R},{(i % 3 == 0 ? "paris" : "rome")},{i % 25}\n");
        }
        return Csv(text.ToString());
    }

    [Fact]
    public void JsonHasExactlyTheContractKeys()
    {
        var (code, stdout, stderr) = Run("ate", "--data", Simulated(), "--outcome", "y", "--treatment", "w", "--format", "json");
        Assert.Equal(0, code);
        Assert.Equal("", stderr);
        Assert.Single(stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        using var doc = JsonDocument.Parse(stdout);
        var root = doc.RootElement;
        Assert.Equal(["estimand", "method", "estimate", "se", "lower", "upper", "n"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("ate", root.GetProperty("estimand").GetString());
        Assert.Equal("aipw", root.GetProperty("method").GetString());
        Assert.Equal(300, root.GetProperty("n").GetInt32());
        double estimate = root.GetProperty("estimate").GetDouble(), se = root.GetProperty("se").GetDouble();
        Assert.Equal(estimate - 1.959963984540054 * se, root.GetProperty("lower").GetDouble(), 9);
        Assert.Equal(estimate + 1.959963984540054 * se, root.GetProperty("upper").GetDouble(), 9);
    }

    [Fact]
    public void TheDifferenceInMeansIsTheHandFormula()
    {
        var path = Csv("y,w,x\n3,1,0\n1,0,1\n5,1,2\n2,0,3\n7,1,4\n");
        var (code, stdout, _) = Run("ate", "--data", path, "--outcome", "y", "--treatment", "w", "--method", "difference", "--estimand", "att", "--format", "json");
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(stdout);
        Assert.Equal("att", doc.RootElement.GetProperty("estimand").GetString());
        Assert.Equal("difference", doc.RootElement.GetProperty("method").GetString());
        Assert.Equal(3.5, doc.RootElement.GetProperty("estimate").GetDouble(), 12);
        Assert.Equal(Math.Sqrt(5.0 / 4 * (8.0 / 9 + 0.5 / 4)), doc.RootElement.GetProperty("se").GetDouble(), 12);
    }

    [Fact]
    public void SeveralArmsGiveArraysInArmOrderAndTheArms()
    {
        var (code, stdout, stderr) = Run("ate", "--data", Simulated(450, arms: 3), "--outcome", "y", "--treatment", "w", "--method", "ipw",
            "--cluster", "g", "--threads", "1", "--format", "json");
        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        var root = doc.RootElement;
        Assert.Equal(["estimand", "method", "arms", "estimate", "se", "lower", "upper", "n"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(["1", "2"], root.GetProperty("arms").EnumerateArray().Select(a => a.GetString()));
        foreach (var key in new[] { "estimate", "se", "lower", "upper" })
            Assert.Equal(2, root.GetProperty(key).GetArrayLength());

        // Another control arm: the arrays hold the other two arms.
        var (_, other, _) = Run("ate", "--data", Path.Combine(Folder, "data.csv"), "--outcome", "y", "--treatment", "w", "--method", "difference",
            "--control", "1", "--format", "json");
        using var second = JsonDocument.Parse(other);
        Assert.Equal(["0", "2"], second.RootElement.GetProperty("arms").EnumerateArray().Select(a => a.GetString()));
    }

    [Fact]
    public void TheTableNamesTheArmAndTheInterval()
    {
        var (code, stdout, _) = Run("ate", "--data", Simulated(), "--outcome", "y", "--treatment", "w", "--method", "regression", "--level", "0.9");
        Assert.Equal(0, code);
        Assert.Contains("ATE by regression: 300 rows, control arm '0'", stdout);
        Assert.Contains("90 % lower", stdout);
        Assert.Contains("propensities estimated", stdout);
        Assert.DoesNotContain('\u001b', stdout); // no terminal escape codes when redirected (a char, so not a culture-aware match)
    }

    [Fact]
    public void AMissingColumnExitsWithOneAndOneLineNamingIt()
    {
        var path = Simulated(40);
        foreach (var (missing, args) in new[] { ("revenue", new[] { "--outcome", "revenue", "--treatment", "w" }), ("age", ["--outcome", "y", "--treatment", "w", "--features", "x,age"]),
                     ("store", ["--outcome", "y", "--treatment", "w", "--cluster", "store"]), ("arm", ["--outcome", "y", "--treatment", "arm"]) })
        {
            var (code, stdout, stderr) = Run(["ate", "--data", path, "--method", "difference", .. args]);
            Assert.Equal(1, code);
            Assert.Equal("", stdout);
            var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Contains(path, line);
            Assert.Contains($"'{missing}'", line);
        }
    }

    [Fact]
    public void ABadValueInTheDataExitsWithOneNamingFileColumnAndRow()
    {
        var path = Csv("y,w,x\n3,1,0\n1,0,1\n,1,2\n2,0,3\n7,1,4\n");
        var (code, _, stderr) = Run("ate", "--data", path, "--outcome", "y", "--treatment", "w", "--method", "difference");
        Assert.Equal(1, code);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(path, line);
        Assert.Contains("'y', row 2", line);
    }

    [Theory]
    [InlineData("--estimand", "ace")]
    [InlineData("--method", "tmle")]
    [InlineData("--threads", "-1")]
    [InlineData("--threads", "two")]
    [InlineData("--seed", "x")]
    [InlineData("--level", "95")]
    [InlineData("--level", "high")]
    [InlineData("--format", "xml")]
    [InlineData("--features", "y,x")]
    [InlineData("--weight", "w")]
    public void ABadFlagValueExitsWithTwo(string flag, string value)
    {
        var (code, stdout, stderr) = Run("ate", "--data", Csv("y,w,x\n1,0,1\n"), "--outcome", "y", "--treatment", "w", flag, value);
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.StartsWith("error:", stderr);
    }

    [Fact]
    public void TheCommonDataFlagsLoadFeaturizeAndNameTheColumns()
    {
        var path = Csv("y,w,x,region,city,g,wt\n1,0,0.5,1,paris,a,1\n2,1,1.5,2,rome,a,2\n3,0,2.5,3,rome,b,1\n4,1,3.5,1,oslo,b,1\n");
        var options = new DataOptions();
        var command = new Command("probe");
        options.AddTo(command);
        LoadedData? loaded = null;
        command.SetAction(parsed => loaded = options.Load(parsed, TreatmentKind.MultiArm));
        var code = command.Parse(["--data", path, "--outcome", "y", "--treatment", "w", "--categorical", "region", "--weight", "wt", "--cluster", "g",
            "--control", "1", "--threads", "3"]).Invoke();
        Assert.Equal(0, code);
        Assert.NotNull(loaded);
        // Default features: every column no other flag names, in file order; region is one-hot (3 slots), city too (3).
        Assert.Equal(["x", "region", "city"], loaded.FeatureColumns);
        Assert.Equal(ColumnType.Text, loaded.Raw.Schema["region"].Type);
        Assert.Equal(1 + 3 + 3, loaded.Featurized.Schema[loaded.Columns.Features].Type.Size);
        Assert.Equal(new CateColumns("y", "w", "Features") { TreatmentKind = TreatmentKind.MultiArm, ControlArm = "1", Weight = "wt", Cluster = "g" }, loaded.Columns);
        Assert.Equal(3, loaded.Threads);
        Assert.Equal(42, loaded.Context.Seed);
    }
}
