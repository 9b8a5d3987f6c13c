using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.ML.Causal.Data;
using Microsoft.ML.Causal.Segmentation.GroupLasso;
using Microsoft.ML.Causal.Simulation;

namespace Microsoft.ML.Causal.Tests.Cli;

/// <summary><c>causal segment</c> on small simulated multi-creative experiments with known fused creatives.</summary>
public sealed class SegmentCommandTests : CliTests
{
    private static readonly string[] SegmentNames = ["artist", "genre", "venue"];

    private string Write(CreativeExperiment e, string name = "experiment.csv") => WriteExperiment(e, name, SegmentNames);

    private (int Code, string Out, string Err) Segment(string data, params string[] extra) =>
        Run(["segment", "--data", data, "--response", "clicked", "--segment", "segment", "--creative", "creative",
            "--model", Path.Combine(Folder, "seg.zip"), "--out", Path.Combine(Folder, "assign.csv"), .. extra]);

    [Fact]
    public void CrossValidationFindsTheFusedCreativesAndTheJsonHasTheContractKeys()
    {
        var e = CreativeExperimentSimulation.Generate(9000, segments: 3, creativesPerSegment: 4, features: 4, deviatingPerSegment: 1, deviation: 1.5, seed: 31);
        var (code, stdout, stderr) = Segment(Write(e), "--cv", "3", "--alpha", "0.25", "--path", "12", "--rule", "1se", "--format", "json",
            "--curve", Path.Combine(Folder, "curve.csv"));
        Assert.True(code == 0, stderr);
        Assert.Single(stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        using var doc = JsonDocument.Parse(stdout);
        var root = doc.RootElement;
        Assert.Equal(["lambda", "alpha", "cv_deviance", "segments"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(0.25, root.GetProperty("alpha").GetDouble());
        Assert.True(root.GetProperty("lambda").GetDouble() > 0);
        var deviance = root.GetProperty("cv_deviance").GetDouble();
        Assert.True(deviance > 0 && deviance < 2 * Math.Log(2) * 1.01, $"deviance {deviance}"); // below the coin-flip model's 2·ln 2
        var segments = root.GetProperty("segments").EnumerateArray().ToList();
        Assert.Equal(SegmentNames, segments.Select(s => s.GetProperty("segment").GetString()));
        int tp = 0, fp = 0, fn = 0, seen = 0;
        foreach (var s in segments)
        {
            Assert.Equal(["segment", "creatives"], s.EnumerateObject().Select(p => p.Name));
            foreach (var c in s.GetProperty("creatives").EnumerateArray())
            {
                Assert.Equal(["creative", "fused", "deviation"], c.EnumerateObject().Select(p => p.Name));
                var index = int.Parse(c.GetProperty("creative").GetString()!["ad".Length..], CultureInfo.InvariantCulture);
                Assert.Equal(s.GetProperty("segment").GetString(), SegmentNames[e.CreativeSegments[index]]);
                var fused = c.GetProperty("fused").GetBoolean();
                var deviation = c.GetProperty("deviation").GetDouble();
                Assert.Equal(fused, deviation == 0);
                var deviates = e.Deviates[index];
                tp += !fused && deviates ? 1 : 0;
                fp += !fused && !deviates ? 1 : 0;
                fn += fused && deviates ? 1 : 0;
                seen++;
            }
        }
        Assert.Equal(12, seen);
        var precision = tp + fp == 0 ? 1 : (double)tp / (tp + fp);
        var recall = tp + fn == 0 ? 1 : (double)tp / (tp + fn);
        Assert.True(precision >= 0.9 && recall >= 0.9, $"deviating creatives: precision {precision}, recall {recall}");

        // The curve: 12 λ at the one α, the chosen point marked, its deviance the JSON's.
        var curve = ReadCsv(Path.Combine(Folder, "curve.csv"));
        Assert.Equal(["alpha", "lambda", "deviance", "deviance_se", "chosen"], curve[0]);
        Assert.Equal(12, curve.Count - 1);
        Assert.All(curve.Skip(1), r => Assert.Equal("0.25", r[0]));
        var chosen = Assert.Single(curve.Skip(1), r => r[4].Contains("1se", StringComparison.Ordinal));
        Assert.Equal(deviance, double.Parse(chosen[2], CultureInfo.InvariantCulture));
        Assert.Equal(root.GetProperty("lambda").GetDouble(), double.Parse(chosen[1], CultureInfo.InvariantCulture));
        Assert.Single(curve.Skip(1), r => r[4].Contains("min", StringComparison.Ordinal));

        // The assignment: segment = argmax of the scores, and it matches the true segment for most people.
        var csv = ReadCsv(Path.Combine(Folder, "assign.csv"));
        Assert.Equal(["segment", "score_artist", "score_genre", "score_venue"], csv[0]);
        Assert.Equal(e.RowCount + 1, csv.Count);
        var hits = 0;
        for (var i = 0; i < e.RowCount; i++)
        {
            var scores = csv[i + 1].Skip(1).Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
            Assert.Equal(SegmentNames[Array.IndexOf(scores, scores.Max())], csv[i + 1][0]);
            hits += csv[i + 1][0] == SegmentNames[e.TrueSegments[i]] ? 1 : 0;
        }
        Assert.True(hits >= 0.8 * e.RowCount, $"assignment accuracy {(double)hits / e.RowCount}");
    }

    [Fact]
    public void TheSavedModelReloadsAndGivesTheSameAssignment()
    {
        var e = CreativeExperimentSimulation.Generate(1500, segments: 3, creativesPerSegment: 3, features: 3, seed: 32);
        var data = Write(e);
        var (code, stdout, stderr) = Segment(data, "--lambda", "0.01", "--format", "json");
        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        Assert.Equal(0.01, doc.RootElement.GetProperty("lambda").GetDouble());
        Assert.Equal(0.25, doc.RootElement.GetProperty("alpha").GetDouble());
        Assert.Equal(JsonValueKind.Null, doc.RootElement.GetProperty("cv_deviance").ValueKind);

        var ctx = new CausalContext(1);
        var chain = ctx.Model.Load<CausalTransformerChain<GroupLassoTransformer>>(Path.Combine(Folder, "seg.zip"), out var schema);
        Assert.Equal(ColumnType.Text, schema["segment"].Type);
        Assert.Null(chain.LastTransformer.CrossValidation);
        // A file of new people: only the features (the pipeline scores without the experiment's columns).
        var fresh = CreativeExperimentSimulation.Generate(200, segments: 3, creativesPerSegment: 3, features: 3, seed: 33);
        var scored = chain.Transform(ctx.Data.LoadFromTextFile(data, new CsvLoadOptions
        {
            ColumnTypes = new Dictionary<string, ColumnType> { ["segment"] = ColumnType.Text, ["creative"] = ColumnType.Text },
        }));
        var keys = scored.GetColumn<int>(GroupLassoTransformer.SegmentColumn).Span;
        var scores = scored.GetColumn<double>(GroupLassoTransformer.ScoresColumn).Span;
        var csv = ReadCsv(Path.Combine(Folder, "assign.csv"));
        for (var i = 0; i < e.RowCount; i++)
        {
            Assert.Equal(csv[i + 1][0], chain.LastTransformer.SegmentNames[keys[i]]);
            for (var j = 0; j < 3; j++)
                Assert.Equal(double.Parse(csv[i + 1][j + 1], CultureInfo.InvariantCulture), scores[i * 3 + j]);
        }
        var features = string.Join(',', fresh.FeatureColumns) + "\n" + string.Join('\n', Enumerable.Range(0, fresh.RowCount)
            .Select(i => string.Join(',', fresh.Features.Span.Slice(i * 3, 3).ToArray().Select(v => v.ToString("R", CultureInfo.InvariantCulture)))));
        var newPeople = chain.Transform(ctx.Data.LoadFromText(features + "\n"));
        Assert.Equal(fresh.RowCount, newPeople.RowCount);
    }

    [Fact]
    public void ResponsesGiveEachCreativesPredictedResponseInEachSegmentWithAnInterval()
    {
        var e = CreativeExperimentSimulation.Generate(3000, segments: 3, creativesPerSegment: 2, features: 3, deviatingPerSegment: 1, deviation: 1.5, seed: 35);
        var data = Write(e);
        var responses = Path.Combine(Folder, "responses.csv");
        var (code, _, stderr) = Segment(data, "--lambda", "0.005", "--responses", responses, "--level", "0.9");
        Assert.True(code == 0, stderr);
        var csv = ReadCsv(responses);
        Assert.Equal(["segment", "creative", "designed_for", "people", "response", "response_se", "response_lower", "response_upper"], csv[0]);
        var assigned = ReadCsv(Path.Combine(Folder, "assign.csv")).Skip(1).GroupBy(r => r[0]).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(assigned.Count * 6, csv.Count - 1);
        foreach (var row in csv.Skip(1))
        {
            Assert.Equal(assigned[row[0]], int.Parse(row[3], CultureInfo.InvariantCulture));
            Assert.Equal(SegmentNames[e.CreativeSegments[int.Parse(row[1]["ad".Length..], CultureInfo.InvariantCulture)]], row[2]);
            var (response, lower, upper) = (double.Parse(row[4], CultureInfo.InvariantCulture), double.Parse(row[6], CultureInfo.InvariantCulture), double.Parse(row[7], CultureInfo.InvariantCulture));
            Assert.True(0 < lower && lower < response && response < upper && upper < 1, string.Join(',', row));
        }

        // The same numbers as the library's on the reloaded pipeline's output.
        var ctx = new CausalContext(1);
        var chain = ctx.Model.Load<CausalTransformerChain<GroupLassoTransformer>>(Path.Combine(Folder, "seg.zip"), out _);
        var scored = chain.Transform(ctx.Data.LoadFromTextFile(data, new CsvLoadOptions
        {
            ColumnTypes = new Dictionary<string, ColumnType> { ["segment"] = ColumnType.Text, ["creative"] = ColumnType.Text },
        }));
        var columns = new GroupLassoTrainerOptions { ResponseColumnName = "clicked", SegmentColumnName = "segment", CreativeColumnName = "creative", FeatureColumnName = chain.LastTransformer.FeatureColumnName };
        var direct = GroupLassoResponses.Estimate(scored, columns, chain.LastTransformer.Model, level: 0.9);
        Assert.Equal(direct.Select(r => (r.SegmentName, r.CreativeName, r.Response.ToString("R", CultureInfo.InvariantCulture), r.Upper.ToString("R", CultureInfo.InvariantCulture))),
            csv.Skip(1).Select(r => (r[0], r[1], r[4], r[7])));
    }

    [Fact]
    public void TheSameSeedGivesTheSameModelFileWhateverTheThreadCount()
    {
        var data = Write(CreativeExperimentSimulation.Generate(1000, segments: 2, creativesPerSegment: 2, features: 2, seed: 36));
        byte[] Fit(string threads)
        {
            var (code, _, stderr) = Segment(data, "--cv", "3", "--path", "4", "--seed", "9", "--threads", threads);
            Assert.True(code == 0, stderr);
            return File.ReadAllBytes(Path.Combine(Folder, "seg.zip"));
        }
        Assert.Equal(Fit("1"), Fit("2"));
    }

    [Fact]
    public void AWeightOfTwoActsAsTheRowTwice()
    {
        var e = CreativeExperimentSimulation.Generate(800, segments: 2, creativesPerSegment: 2, features: 2, seed: 37);
        var lines = File.ReadAllLines(Write(e));
        var weighted = new StringBuilder(lines[0] + ",w\n");
        var doubled = new StringBuilder(lines[0] + ",w\n");
        for (var i = 1; i < lines.Length; i++)
        {
            var twice = i % 3 == 0;
            weighted.Append(lines[i]).Append(twice ? ",2\n" : ",1\n");
            doubled.Append(lines[i]).Append(",1\n");
            if (twice)
                doubled.Append(lines[i]).Append(",1\n");
        }
        JsonElement Fit(string text, string name)
        {
            var (code, stdout, stderr) = Segment(Csv(text, name), "--lambda", "0.01", "--weight", "w", "--format", "json");
            Assert.True(code == 0, stderr);
            return JsonDocument.Parse(stdout).RootElement;
        }
        var a = Fit(weighted.ToString(), "weighted.csv");
        var b = Fit(doubled.ToString(), "doubled.csv");
        var deviations = (JsonElement root) => root.GetProperty("segments").EnumerateArray()
            .SelectMany(s => s.GetProperty("creatives").EnumerateArray().Select(c => c.GetProperty("deviation").GetDouble())).ToArray();
        var (da, db) = (deviations(a), deviations(b));
        Assert.Equal(da.Length, db.Length);
        for (var k = 0; k < da.Length; k++)
            Assert.Equal(db[k], da[k], 5);
        Assert.Contains(da, d => d > 0); // something to compare: not every creative is fused at this λ
    }

    [Fact]
    public void TheTableNamesTheChoiceTheCreativesAndTheSegmentMix()
    {
        var e = CreativeExperimentSimulation.Generate(1200, segments: 3, creativesPerSegment: 2, features: 3, seed: 34);
        var (code, stdout, stderr) = Segment(Write(e), "--cv", "2", "--alpha", "0.15", "--path", "4");
        Assert.True(code == 0, stderr);
        Assert.Contains("3 segments, 6 creatives, 1,200 rows", stdout);
        Assert.Contains("2-fold cross-validation", stdout);
        Assert.Contains("ad0", stdout);
        Assert.Contains("rows assigned", stdout);
        Assert.DoesNotContain('\u001b', stdout);
    }

    [Fact]
    public void BadInputExitsWithOneNamingFileColumnAndRow()
    {
        var header = "x1,x2,segment,creative,clicked\n";
        var cases = new (string Text, string[] Args, string[] Expected)[]
        {
            (header + "0.1,0.2,artist,ad0,1\n0.3,0.1,genre,ad0,0\n", [], ["'creative'", "row 1", "ad0"]),
            (header + "0.1,0.2,artist,ad0,1\n0.3,0.1,genre,ad1,0.5\n", [], ["'clicked'", "row 1"]),
            (header + "0.1,0.2,artist,ad0,1\n0.3,0.1,genre,ad1,0\n", ["--features", "x1,age"], ["--features", "'age'"]),
            (header + "0.1,0.2,artist,ad0,1\n0.3,0.1,,ad1,0\n", [], ["'segment'", "row 1"]),
            (header + "0.1,0.2,artist,ad0,1\n0.3,,genre,ad1,0\n", [], ["line 3", "'x2'", "missing", "--features"]),
        };
        foreach (var (text, args, expected) in cases)
        {
            var path = Csv(text, "bad.csv");
            AssertBadInput(Segment(path, ["--lambda", "0.1", .. args]), path, text, expected);
        }
        var (missing, _, err) = Run("segment", "--data", Csv(header + "0.1,0.2,artist,ad0,1\n"), "--response", "y", "--segment", "segment", "--creative", "creative",
            "--model", Path.Combine(Folder, "m.zip"), "--out", Path.Combine(Folder, "a.csv"));
        Assert.Equal(1, missing);
        Assert.Contains("--response names column 'y'", err);
    }

    [Theory]
    [InlineData("--lambda", "0.1", "--cv", "3")]
    [InlineData("--lambda", "-1")]
    [InlineData("--cv", "1")]
    [InlineData("--alpha", "1")]
    [InlineData("--alpha", "1.5", "--lambda", "0.1")]
    [InlineData("--rule", "best")]
    [InlineData("--path", "0")]
    [InlineData("--level", "1.5")]
    [InlineData("--lambda", "0.1", "--curve", "c.csv")]
    [InlineData("--features", "clicked")]
    public void BadUsageExitsWithTwo(params string[] flags)
    {
        var (code, stdout, stderr) = Segment(Csv("x1,segment,creative,clicked\n0.1,a,c,1\n"), flags);
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.StartsWith("error:", stderr);
    }
}
