using System.Globalization;
using System.Text.Json;

namespace Microsoft.ML.Causal.Tests.Cli;

/// <summary><c>causal describe</c>, run in-process.</summary>
public sealed class DescribeCommandTests : CliTests
{
    private const string Sample = "x,city,flag,note\n1,paris,true,\"a, b\"\n,berlin,false,c\n4,paris,true,\n7.5,,false,d\n";

    [Fact]
    public void JsonReportsRowsMissingCountsAndStatisticsComputedByHand()
    {
        var (code, stdout, stderr) = Run("describe", "--data", Csv(Sample), "--format", "json");
        Assert.Equal(0, code);
        Assert.Equal("", stderr);
        using var doc = JsonDocument.Parse(stdout);
        var root = doc.RootElement;
        Assert.Equal(4, root.GetProperty("rows").GetInt32());
        var columns = root.GetProperty("columns").EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!);

        // x: 1, missing, 4, 7.5 → mean 12.5/3, min 1, max 7.5, one missing.
        var x = columns["x"];
        Assert.Equal("Double", x.GetProperty("type").GetString());
        Assert.Equal(1, x.GetProperty("missing").GetInt32());
        Assert.Equal(12.5 / 3, x.GetProperty("mean").GetDouble(), 12);
        var variance = (Math.Pow(1 - 12.5 / 3, 2) + Math.Pow(4 - 12.5 / 3, 2) + Math.Pow(7.5 - 12.5 / 3, 2)) / 3;
        Assert.Equal(Math.Sqrt(variance), x.GetProperty("sd").GetDouble(), 12);
        Assert.Equal(1, x.GetProperty("min").GetDouble());
        Assert.Equal(7.5, x.GetProperty("max").GetDouble());
        Assert.False(x.TryGetProperty("distinct", out _));

        var city = columns["city"];
        Assert.Equal(1, city.GetProperty("missing").GetInt32());
        Assert.Equal(2, city.GetProperty("distinct").GetInt32());
        Assert.Equal("paris", city.GetProperty("top").GetString());
        Assert.Equal(2, city.GetProperty("top_count").GetInt32());
        Assert.False(city.TryGetProperty("mean", out _));

        Assert.Equal("Boolean", columns["flag"].GetProperty("type").GetString());
        Assert.Equal(0.5, columns["flag"].GetProperty("mean").GetDouble());
        Assert.Equal(1, columns["note"].GetProperty("missing").GetInt32());
    }

    [Fact]
    public void TableListsEveryColumn()
    {
        var (code, stdout, _) = Run("describe", "--data", Csv(Sample));
        Assert.Equal(0, code);
        Assert.Contains("4 rows, 4 columns", stdout);
        foreach (var name in new[] { "x", "city", "flag", "note", "paris (2)" })
            Assert.Contains(name, stdout);
        Assert.DoesNotContain("\u001b[", stdout); // no terminal escape codes when redirected
    }

    [Fact]
    public void NumbersUseTheInvariantCultureWhateverTheOsCulture()
    {
        var saved = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
            var (code, stdout, _) = Run("describe", "--data", Csv("x\n1.5\n2.5\n"), "--format", "json");
            Assert.Equal(0, code);
            Assert.Contains("\"mean\":2,", stdout);
            Assert.Contains("\"min\":1.5", stdout);
            var table = Run("describe", "--data", Csv("x\n1.5\n2.5\n")).Out;
            Assert.Contains("1.5", table);
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
    }

    [Fact]
    public void BadUsageExitsWithTwo()
    {
        Assert.Equal(2, Run("describe").Code);                       // --data missing
        Assert.Equal(2, Run("frobnicate").Code);                     // unknown command
        Assert.Equal(2, Run("describe", "--data", "x.csv", "--format", "xml").Code);
        Assert.Equal(2, Run().Code);                                 // no command
    }

    [Fact]
    public void RaggedRowExitsWithOneAndNamesFileAndLine()
    {
        var path = Csv("a,b\n1,2\n3\n");
        var (code, stdout, stderr) = Run("describe", "--data", path);
        Assert.Equal(1, code);
        Assert.Equal("", stdout);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(path, line);
        Assert.Contains("line 3", line);
    }

    [Fact]
    public void MissingFileExitsWithOne()
    {
        var (code, _, stderr) = Run("describe", "--data", Path.Combine(Folder, "nope.csv"));
        Assert.Equal(1, code);
        Assert.Contains("nope.csv", stderr);
    }

    [Fact]
    public void AColumnWithOnlyMissingValuesHasNoStatistics()
    {
        var (code, stdout, _) = Run("describe", "--data", Csv("x,y\n,1\n,2\n"), "--format", "json");
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(stdout);
        var x = doc.RootElement.GetProperty("columns")[0];
        Assert.Equal(2, x.GetProperty("missing").GetInt32());
        Assert.False(x.TryGetProperty("mean", out _));
    }
}
