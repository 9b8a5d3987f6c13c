using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.ML.Causal.Simulation;

namespace Microsoft.ML.Causal.Tests.Cli;

/// <summary><c>causal assign</c>: scoring people with the model <c>causal segment</c> saved; model files of the wrong kind.</summary>
public sealed class AssignCommandTests : CliTests
{
    private static readonly string[] SegmentNames = ["s0", "s1", "s2"];

    private string Write(CreativeExperiment e, string name, bool featuresOnly = false) => WriteExperiment(e, name, SegmentNames, featuresOnly);

    private (string Model, string Assign) Segmented(CreativeExperiment e)
    {
        var model = Path.Combine(Folder, "seg.zip");
        var assign = Path.Combine(Folder, "assign.csv");
        var (code, _, stderr) = Run("segment", "--data", Write(e, "train.csv"), "--response", "clicked", "--segment", "segment", "--creative", "creative",
            "--lambda", "0.01", "--model", model, "--out", assign);
        Assert.True(code == 0, stderr);
        return (model, assign);
    }

    [Fact]
    public void TheSavedSegmentationAssignsTheTrainingRowsAsSegmentDidAndNewPeopleFromTheirFeaturesAlone()
    {
        var e = CreativeExperimentSimulation.Generate(1200, segments: 3, creativesPerSegment: 2, features: 3, seed: 41);
        var (model, assign) = Segmented(e);
        var again = Path.Combine(Folder, "again.csv");
        var (code, stdout, stderr) = Run("assign", "--model", model, "--data", Path.Combine(Folder, "train.csv"), "--out", again, "--format", "json");
        Assert.True(code == 0, stderr);
        Assert.Equal(File.ReadAllText(assign), File.ReadAllText(again));
        using var doc = JsonDocument.Parse(stdout);
        Assert.Equal(["rows", "out", "segments", "shares"], doc.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal(["s0", "s1", "s2"], doc.RootElement.GetProperty("segments").EnumerateArray().Select(s => s.GetString()));
        var rows = ReadCsv(assign).Skip(1).ToList();
        var shares = doc.RootElement.GetProperty("shares").EnumerateArray().Select(s => s.GetDouble()).ToArray();
        for (var j = 0; j < 3; j++)
            Assert.Equal(rows.Count(r => r[0] == $"s{j}") / 1200.0, shares[j], 12);

        // New people of the same experiment, features only: the same rows as segment's scores would give.
        var more = CreativeExperimentSimulation.Generate(1500, segments: 3, creativesPerSegment: 2, features: 3, seed: 41);
        var people = Write(more, "people.csv", featuresOnly: true);
        var (fresh, table, err) = Run("assign", "--model", model, "--data", people, "--out", Path.Combine(Folder, "people-assign.csv"));
        Assert.True(fresh == 0, err);
        Assert.Contains("1,500 rows assigned to 3 segments", table);
        Assert.Equal(ReadCsv(assign).Skip(1).Select(r => string.Join(',', r)), ReadCsv(Path.Combine(Folder, "people-assign.csv")).Skip(1).Take(1200).Select(r => string.Join(',', r)));
    }

    [Fact]
    public void AModelOfTheOtherKindIsBadInputNamingTheCommandThatScoresIt()
    {
        var e = CreativeExperimentSimulation.Generate(600, segments: 2, creativesPerSegment: 2, features: 2, seed: 42);
        var (segmentation, _) = Segmented(e);
        AssertBadInput(Run("predict", "--model", segmentation, "--data", Path.Combine(Folder, "train.csv"), "--out", Path.Combine(Folder, "p.csv")),
            segmentation, "predict on a segmentation model", "group-lasso segmentation model", "causal assign");

        var text = new StringBuilder("y,w,x\n");
        for (var i = 0; i < 60; i++)
            text.Append(CultureInfo.InvariantCulture, $"{i % 7 + (i % 2) * 2},{i % 2},{i % 5}\n");
        var cate = Path.Combine(Folder, "cate.zip");
        var (fit, _, fitErr) = Run("fit", "--data", Csv(text.ToString(), "cate.csv"), "--outcome", "y", "--treatment", "w", "--method", "s", "--learner", "linear",
            "--folds", "2", "--bootstrap", "2", "--model", cate);
        Assert.True(fit == 0, fitErr);
        AssertBadInput(Run("assign", "--model", cate, "--data", Path.Combine(Folder, "cate.csv"), "--out", Path.Combine(Folder, "a.csv")),
            cate, "assign on a CATE model", "a CATE model", "causal predict");
        AssertBadInput(Run("assign", "--model", Path.Combine(Folder, "cate.csv"), "--data", Path.Combine(Folder, "cate.csv"), "--out", Path.Combine(Folder, "a.csv")),
            "", "assign on a CSV", "not a Microsoft.ML.Causal.Model file");
    }

    [Fact]
    public void AMissingFeatureColumnIsBadInputNamingIt()
    {
        var e = CreativeExperimentSimulation.Generate(600, segments: 2, creativesPerSegment: 2, features: 2, seed: 43);
        var (model, _) = Segmented(e);
        var path = Csv("x1\n0.5\n", "x1-only.csv");
        AssertBadInput(Run("assign", "--model", model, "--data", path, "--out", Path.Combine(Folder, "a.csv")), path, "missing x2", "'x2'");
    }
}
