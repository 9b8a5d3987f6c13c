using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.ML.Causal.Numerics;

namespace Microsoft.ML.Causal.Tests.Cli;

/// <summary><c>causal coarse</c> on small profit matrices whose optimum is found here by enumeration.</summary>
public sealed class CoarseCommandTests : CliTests
{
    private static readonly string[] Levels = ["0", "5", "10", "15", "20", "25"];

    /// <summary>n rows × the levels: profits with a person-specific best level, so that coarse and full personalization differ.</summary>
    private static double[][] RandomProfits(int n, int seed, int m = 6)
    {
        var random = new CausalRandom(seed);
        var rows = new double[n][];
        for (var i = 0; i < n; i++)
        {
            var peak = random.NextDouble() * (m - 1);
            var height = 1 + random.NextDouble();
            rows[i] = [.. Enumerable.Range(0, m).Select(j => Math.Round(height - 0.3 * (j - peak) * (j - peak) + 0.2 * random.NextGaussian(), 3))];
        }
        return rows;
    }

    private string WriteProfits(double[][] rows, bool withId = false, string name = "profits.csv")
    {
        var m = rows[0].Length;
        var text = new StringBuilder(withId ? "customer," : "");
        text.AppendJoin(',', Levels.Take(m).Select(l => $"profit_{l}")).Append(",age\n");
        for (var i = 0; i < rows.Length; i++)
        {
            if (withId)
                text.Append(CultureInfo.InvariantCulture, $"c{i:D3},");
            text.AppendJoin(',', rows[i].Select(v => v.ToString("R", CultureInfo.InvariantCulture))).Append(CultureInfo.InvariantCulture, $",{30 + i}\n");
        }
        return Csv(text.ToString(), name);
    }

    /// <summary>The best total over every set of k levels, each row taking its best offered level (independent enumeration).</summary>
    private static double BruteForce(double[][] rows, int k)
    {
        var m = rows[0].Length;
        var best = double.NegativeInfinity;
        for (var mask = 0; mask < 1 << m; mask++)
        {
            if (int.PopCount(mask) != k)
                continue;
            var total = rows.Sum(r => Enumerable.Range(0, m).Where(j => (mask >> j & 1) == 1).Max(j => r[j]));
            best = Math.Max(best, total);
        }
        return best;
    }

    /// <summary>The best total over every assignment of rows to levels using at most k levels and at most cap[j] rows at level j.</summary>
    private static double BruteForceAssignments(double[][] rows, int k, int[] cap)
    {
        var n = rows.Length;
        var m = rows[0].Length;
        var best = double.NegativeInfinity;
        var levels = new int[n];
        var total = (int)Math.Pow(m, n);
        for (var code = 0; code < total; code++)
        {
            var c = code;
            for (var i = 0; i < n; i++, c /= m)
                levels[i] = c % m;
            var counts = new int[m];
            foreach (var l in levels)
                counts[l]++;
            if (counts.Count(x => x > 0) > k || Enumerable.Range(0, m).Any(j => counts[j] > cap[j]))
                continue;
            best = Math.Max(best, Enumerable.Range(0, n).Sum(i => rows[i][levels[i]]));
        }
        return best;
    }

    [Fact]
    public void JsonHasExactlyTheContractKeysAndTheAssignmentOneRowPerInputRow()
    {
        var rows = RandomProfits(40, seed: 1);
        var output = Path.Combine(Folder, "assign.csv");
        var (code, stdout, stderr) = Run("coarse", "--data", WriteProfits(rows), "--k", "3", "--out", output, "--format", "json");
        Assert.True(code == 0, stderr);
        Assert.Equal("", stderr);
        Assert.Single(stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        using var doc = JsonDocument.Parse(stdout);
        var root = doc.RootElement;
        Assert.Equal(["levels", "shares", "profit", "full_profit", "recovery", "ratio"], root.EnumerateObject().Select(p => p.Name));
        var levels = root.GetProperty("levels").EnumerateArray().Select(l => l.GetString()!).ToArray();
        var shares = root.GetProperty("shares").EnumerateArray().Select(s => s.GetDouble()).ToArray();
        Assert.Equal(3, levels.Length);
        Assert.All(levels, l => Assert.Contains(l, Levels));
        Assert.Equal(1.0, shares.Sum(), 12);

        var csv = ReadCsv(output);
        Assert.Equal(["level", "profit"], csv[0]);
        Assert.Equal(rows.Length + 1, csv.Count);
        var total = 0.0;
        for (var i = 0; i < rows.Length; i++)
        {
            // Row i's level is one offered, the best of them for row i, and its profit is the input cell.
            var level = csv[i + 1][0];
            var j = Array.IndexOf(Levels, level);
            Assert.Contains(level, levels);
            Assert.Equal(levels.Max(l => rows[i][Array.IndexOf(Levels, l)]), rows[i][j]);
            Assert.Equal(rows[i][j], double.Parse(csv[i + 1][1], CultureInfo.InvariantCulture));
            total += rows[i][j];
        }
        for (var s = 0; s < levels.Length; s++)
            Assert.Equal(csv.Skip(1).Count(r => r[0] == levels[s]) / (double)rows.Length, shares[s], 12);
        var profit = root.GetProperty("profit").GetDouble();
        Assert.Equal(total, profit, 9);
        var full = rows.Sum(r => r.Max());
        var single = Enumerable.Range(0, 6).Max(j => rows.Sum(r => r[j]));
        Assert.Equal(full, root.GetProperty("full_profit").GetDouble(), 9);
        Assert.Equal((profit - single) / (full - single), root.GetProperty("recovery").GetDouble(), 9);
        Assert.Equal(profit / full, root.GetProperty("ratio").GetDouble(), 9);
    }

    [Theory]
    [InlineData(1, 3)]
    [InlineData(2, 4)]
    [InlineData(3, 5)]
    [InlineData(4, 6)]
    public void TheProfitIsTheBruteForceOptimum(int k, int seed)
    {
        var rows = RandomProfits(60, seed);
        var (code, stdout, stderr) = Run("coarse", "--data", WriteProfits(rows), "--k", k.ToString(CultureInfo.InvariantCulture),
            "--out", Path.Combine(Folder, "a.csv"), "--format", "json", "--seed", "7");
        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        Assert.Equal(BruteForce(rows, k), doc.RootElement.GetProperty("profit").GetDouble(), 9);
    }

    [Fact]
    public void TheSameSeedGivesTheSameAssignmentWhateverTheThreadCount()
    {
        var data = WriteProfits(RandomProfits(300, seed: 12));
        string Assign(params string[] extra)
        {
            var output = Path.Combine(Folder, "a.csv");
            Assert.Equal(0, Run(["coarse", "--data", data, "--k", "3", "--out", output, .. extra]).Code);
            return File.ReadAllText(output);
        }
        var one = Assign("--seed", "5", "--threads", "1");
        Assert.Equal(one, Assign("--seed", "5", "--threads", "2"));
        Assert.Equal(one, Assign("--seed", "5", "--threads", "2", "--capacity", "25=1"));
    }

    [Fact]
    public void TheIdColumnLeadsTheAssignmentInInputOrderAndTheTableSummarizes()
    {
        var rows = RandomProfits(12, seed: 9);
        var output = Path.Combine(Folder, "a.csv");
        var (code, stdout, stderr) = Run("coarse", "--data", WriteProfits(rows, withId: true), "--k", "2", "--id", "customer", "--out", output);
        Assert.True(code == 0, stderr);
        var csv = ReadCsv(output);
        Assert.Equal(["customer", "level", "profit"], csv[0]);
        Assert.Equal(Enumerable.Range(0, 12).Select(i => $"c{i:D3}"), csv.Skip(1).Select(r => r[0]));
        Assert.Contains("2 of 6 levels offered to 12 rows", stdout);
        Assert.Contains("recovery", stdout);
        Assert.DoesNotContain('\u001b', stdout);
    }

    [Fact]
    public void MaximumSharesHoldAndTheProfitIsTheExactCapacitatedOptimum()
    {
        // 8 rows × 3 levels, K = 2: every assignment is enumerated (3⁸), under "at most 25 % (2 rows) at level 10".
        var rows = RandomProfits(8, seed: 21, m: 3);
        var uncapped = Run("coarse", "--data", WriteProfits(rows), "--k", "2", "--out", Path.Combine(Folder, "u.csv"), "--format", "json");
        var popular = Levels.Take(3).MaxBy(l => ReadCsv(Path.Combine(Folder, "u.csv")).Count(r => r[0] == l))!;
        var output = Path.Combine(Folder, "a.csv");
        var (code, stdout, stderr) = Run("coarse", "--data", WriteProfits(rows), "--k", "2", "--capacity", $"{popular}=0.25", "--out", output, "--format", "json");
        Assert.True(code == 0, stderr);
        Assert.True(ReadCsv(Path.Combine(Folder, "u.csv")).Count(r => r[0] == popular) > 2, "the bound should bind: " + uncapped.Out);
        Assert.True(ReadCsv(output).Count(r => r[0] == popular) <= 2);
        var cap = Levels.Take(3).Select(l => l == popular ? 2 : 8).ToArray();
        using var doc = JsonDocument.Parse(stdout);
        Assert.Equal(BruteForceAssignments(rows, 2, cap), doc.RootElement.GetProperty("profit").GetDouble(), 9);
    }

    [Fact]
    public void FixedSharesAreMetExactlyAtTheExactOptimum()
    {
        var rows = RandomProfits(8, seed: 22, m: 3);
        var output = Path.Combine(Folder, "a.csv");
        var (code, stdout, stderr) = Run("coarse", "--data", WriteProfits(rows), "--k", "2", "--capacity", "0=0.75,10=0.25", "--fixed-shares",
            "--out", output, "--format", "json");
        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        Assert.Equal(["0", "10"], doc.RootElement.GetProperty("levels").EnumerateArray().Select(l => l.GetString()));
        Assert.Equal([0.75, 0.25], doc.RootElement.GetProperty("shares").EnumerateArray().Select(s => s.GetDouble()));
        var csv = ReadCsv(output);
        Assert.Equal(6, csv.Count(r => r[0] == "0"));
        Assert.Equal(2, csv.Count(r => r[0] == "10"));
        // The best choice of the 2 rows at level 10, by enumeration.
        var best = double.NegativeInfinity;
        for (var a = 0; a < 8; a++)
        {
            for (var b = a + 1; b < 8; b++)
                best = Math.Max(best, Enumerable.Range(0, 8).Sum(i => i == a || i == b ? rows[i][2] : rows[i][0]));
        }
        Assert.Equal(best, doc.RootElement.GetProperty("profit").GetDouble(), 9);
    }

    [Fact]
    public void BadInputExitsWithOneAndOneLineNamingFileColumnAndRow()
    {
        var good = WriteProfits(RandomProfits(5, seed: 2, m: 3));
        var cases = new (string Text, string[] Args, string[] Expected)[]
        {
            ("profit_0,profit_5\n1,2\n3,abc\n", ["--k", "1"], ["line 3", "'profit_5'", "'abc' is not a number"]),
            ("profit_0,profit_5\n1,2\n3,\n", ["--k", "1"], ["line 3", "'profit_5'", "missing"]),
            ("a,b\n1,2\n", ["--k", "1"], ["profit_<level>", "Columns: a, b"]),
            ("profit_0,profit_5\n1,2\n", ["--k", "3"], ["--k is 3", "only 2"]),
            ("profit_0,profit_5\n1,2\n", ["--k", "1", "--capacity", "7=0.5"], ["'7'", "profit_7", "Levels: 0, 5"]),
            ("profit_0,profit_5\n1,2\n3,4\n", ["--k", "2", "--capacity", "0=0.5,5=0.25", "--fixed-shares"], ["add up to 1", "0.75"]),
            ("profit_0,profit_5\n1,2\n3,4\n5,6\n7,8\n", ["--k", "2", "--capacity", "0=0.25,5=0.25"], ["--capacity cannot be met", "raise them"]),
            ("profit_0,profit_5\n1,2\n", ["--k", "1", "--id", "customer"], ["--id", "'customer'"]),
        };
        foreach (var (text, args, expected) in cases)
        {
            var path = Csv(text, "bad.csv");
            AssertBadInput(Run(["coarse", "--data", path, "--out", Path.Combine(Folder, "a.csv"), .. args]), path, string.Join(' ', args), expected);
        }
        Assert.Equal(0, Run("coarse", "--data", good, "--k", "1", "--out", Path.Combine(Folder, "a.csv")).Code);
    }

    [Theory]
    [InlineData("--k", "0")]
    [InlineData("--capacity", "10")]
    [InlineData("--capacity", "10=high")]
    [InlineData("--capacity", "10=1.5")]
    [InlineData("--capacity", "10=0.2,10=0.3")]
    [InlineData("--restarts", "0")]
    [InlineData("--fixed-shares", "true")]
    [InlineData("--format", "xml")]
    public void BadUsageExitsWithTwo(string flag, string value)
    {
        var args = new List<string> { "coarse", "--data", WriteProfits(RandomProfits(5, seed: 2, m: 3)), "--out", Path.Combine(Folder, "a.csv"), flag, value };
        if (flag != "--k")
            args.AddRange(["--k", "2"]);
        var (code, stdout, stderr) = Run([.. args]);
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.StartsWith("error:", stderr);
        Assert.Equal(2, Run("coarse", "--data", "p.csv", "--k", "2").Code); // --out is required
    }
}
