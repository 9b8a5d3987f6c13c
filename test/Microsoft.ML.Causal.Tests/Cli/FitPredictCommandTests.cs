using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.ML.Causal.Data;
using Microsoft.ML.Causal.Numerics;
using Microsoft.ML.Causal.Trainers;

namespace Microsoft.ML.Causal.Tests.Cli;

/// <summary><c>causal fit</c> and <c>causal predict</c>, run in-process on temporary CSV files.</summary>
public sealed class FitPredictCommandTests : CliTests
{
    private const double Z95 = 1.959963984540054;

    /// <summary>
    /// n rows of a randomized experiment: x1, x2 ~ N(0, 1), a segment (new/top), arm w ∈ arms uniformly;
    /// y = x1 + τ_w + ε with τ = 1 + x2 for arm 1 and −1 for arm 2 (arm 0 is control). Also writes the true τ of arm 1 as "truth".
    /// </summary>
    private string Experiment(int n, int arms = 2, string name = "train.csv", bool withTruth = false)
    {
        var random = new CausalRandom(n + arms);
        var text = new StringBuilder(withTruth ? "y,w,x1,x2,segment,truth\n" : "y,w,x1,x2,segment\n");
        for (var i = 0; i < n; i++)
        {
            var x1 = random.NextGaussian();
            var x2 = random.NextGaussian();
            var w = random.NextInt(arms);
            var tau = w == 1 ? 1 + x2 : w == 2 ? -1 : 0;
            var y = x1 + tau + 0.5 * random.NextGaussian();
            text.Append(CultureInfo.InvariantCulture, $"{y:R},{w},{x1:R},{x2:R},{(i % 4 == 0 ? "new" : "top")}");
            text.Append(withTruth ? FormattableString.Invariant($",{1 + x2:R}\n") : "\n");
        }
        return Csv(text.ToString(), name);
    }

    private string ModelPath => Path.Combine(Folder, "model.zip");

    private (int Code, string Out, string Err) Fit(string data, string method, params string[] more) =>
        Run(["fit", "--data", data, "--outcome", "y", "--treatment", "w", "--categorical", "segment", "--method", method,
            "--trees", "40", "--bootstrap", "5", "--folds", "3", "--model", ModelPath, "--format", "json", .. more]);

    [Fact]
    public void FitPrintsExactlyTheContractKeysAndAnAteNearTheTruth()
    {
        var (code, stdout, stderr) = Fit(Experiment(1200), "dr");
        Assert.Equal("", stderr);
        Assert.Equal(0, code);
        Assert.True(File.Exists(ModelPath));
        using var doc = JsonDocument.Parse(stdout);
        var root = doc.RootElement;
        Assert.Equal(["method", "n", "arms", "ate", "ate_se", "ate_lower", "ate_upper", "fit_seconds"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("dr", root.GetProperty("method").GetString());
        Assert.Equal(1200, root.GetProperty("n").GetInt32());
        Assert.Equal(["0", "1"], root.GetProperty("arms").EnumerateArray().Select(a => a.GetString()));
        double ate = root.GetProperty("ate").GetDouble(), se = root.GetProperty("ate_se").GetDouble();
        Assert.InRange(ate, 1 - 4 * se, 1 + 4 * se); // E[1 + x2] = 1
        Assert.Equal(ate - Z95 * se, root.GetProperty("ate_lower").GetDouble(), 9);
        Assert.Equal(ate + Z95 * se, root.GetProperty("ate_upper").GetDouble(), 9);
        Assert.True(root.GetProperty("fit_seconds").GetDouble() > 0);
    }

    [Fact]
    public void PredictWritesOneRowPerInputRowInOrderEqualToTheLibrarysScores()
    {
        var fit = Fit(Experiment(1000), "linear-dml", "--features", "x1,x2,segment");
        Assert.True(fit.Code == 0, fit.Err);
        var test = Experiment(80, name: "test.csv", withTruth: true); // "truth" is an extra column: ignored
        var output = Path.Combine(Folder, "preds.csv");
        var (code, stdout, stderr) = Run("predict", "--model", ModelPath, "--data", test, "--out", output, "--format", "json");
        Assert.Equal("", stderr + stdout[..0]);
        Assert.Equal(0, code);
        using (var doc = JsonDocument.Parse(stdout))
            Assert.Equal(80, doc.RootElement.GetProperty("rows").GetInt32());

        var lines = File.ReadAllLines(output);
        Assert.Equal("cate,cate_lower,cate_upper", lines[0]);
        Assert.Equal(81, lines.Length);
        var ctx = new CausalContext(1);
        var model = ctx.Model.Load<CausalTransformerChain<CateTransformer>>(ModelPath, out var schema);
        var view = ctx.Data.LoadFromTextFile(test, new CsvLoadOptions { ColumnTypes = new Dictionary<string, ColumnType> { ["segment"] = ColumnType.Text } });
        var scored = model.Transform(view);
        var truth = view.GetNumericColumn("truth").Span;
        var covered = 0;
        for (var i = 0; i < 80; i++)
        {
            var fields = lines[i + 1].Split(',').Select(f => double.Parse(f, CultureInfo.InvariantCulture)).ToArray();
            Assert.Equal(scored.GetColumn<double>("Cate").Span[i], fields[0]);
            Assert.Equal(scored.GetColumn<double>("CateLower").Span[i], fields[1]);
            Assert.Equal(scored.GetColumn<double>("CateUpper").Span[i], fields[2]);
            Assert.True(fields[1] < fields[0] && fields[0] < fields[2]);
            covered += fields[1] <= truth[i] && truth[i] <= fields[2] ? 1 : 0;
        }
        // τ = 1 + x2 is linear, so LinearDML's 95 % intervals cover it at about the nominal rate (binomial: ≥ 68 of 80 has probability > 0.99).
        Assert.True(covered >= 68, $"{covered} of 80 intervals cover the truth");
    }

    [Fact]
    public void TheLevelFlagNarrowsTheIntervals()
    {
        Assert.Equal(0, Fit(Experiment(600), "t").Code);
        var test = Experiment(30, name: "test.csv");
        string wide = Path.Combine(Folder, "wide.csv"), narrow = Path.Combine(Folder, "narrow.csv");
        Assert.Equal(0, Run("predict", "--model", ModelPath, "--data", test, "--out", wide).Code);
        Assert.Equal(0, Run("predict", "--model", ModelPath, "--data", test, "--out", narrow, "--level", "0.5").Code);
        var w = File.ReadAllLines(wide).Skip(1).Select(Parse).ToArray();
        var n = File.ReadAllLines(narrow).Skip(1).Select(Parse).ToArray();
        for (var i = 0; i < w.Length; i++)
        {
            Assert.Equal(w[i][0], n[i][0]);
            Assert.True(w[i][1] <= n[i][1] && n[i][2] <= w[i][2]);
        }
        Assert.Contains(w.Zip(n), p => p.First[2] - p.First[1] > p.Second[2] - p.Second[1]);
    }

    [Fact]
    public void SeveralArmsGiveArraysAndOneColumnTripletPerArm()
    {
        var lines = ThreeArmsFitAndPredict(Fit(Experiment(1500, arms: 3), "t"), "t");
        Assert.Equal(21, lines.Length);
    }

    /// <summary>
    /// Checks a three-arm fit's JSON (method, arms, each ATE within 4 SE of the truth: τ₁ = 1 + x₂ has mean 1, τ₂ = −1)
    /// and returns the lines of <c>causal predict</c> on 20 new rows, after checking the header (a triplet per arm).
    /// </summary>
    private string[] ThreeArmsFitAndPredict((int Code, string Out, string Err) fit, string method)
    {
        Assert.Equal("", fit.Err);
        Assert.Equal(0, fit.Code);
        using (var doc = JsonDocument.Parse(fit.Out))
        {
            var root = doc.RootElement;
            Assert.Equal(method, root.GetProperty("method").GetString());
            Assert.Equal(["0", "1", "2"], root.GetProperty("arms").EnumerateArray().Select(a => a.GetString()));
            var ate = root.GetProperty("ate").EnumerateArray().Select(a => a.GetDouble()).ToArray();
            var se = root.GetProperty("ate_se").EnumerateArray().Select(a => a.GetDouble()).ToArray();
            Assert.Equal(2, ate.Length);
            Assert.InRange(ate[0], 1 - 4 * se[0], 1 + 4 * se[0]);
            Assert.InRange(ate[1], -1 - 4 * se[1], -1 + 4 * se[1]);
        }
        var output = Path.Combine(Folder, "preds.csv");
        Assert.Equal(0, Run("predict", "--model", ModelPath, "--data", Experiment(20, arms: 3, name: "test.csv"), "--out", output).Code);
        var lines = File.ReadAllLines(output);
        Assert.Equal("cate_1,cate_1_lower,cate_1_upper,cate_2,cate_2_lower,cate_2_upper", lines[0]);
        return lines;
    }

    [Fact]
    public void AMissingFeatureColumnAtPredictionIsBadInputNamingIt()
    {
        Assert.Equal(0, Fit(Experiment(500), "s").Code);
        var test = Csv("y,w,x1,segment\n1,0,0.5,new\n", "test.csv");
        var (code, _, stderr) = Run("predict", "--model", ModelPath, "--data", test, "--out", Path.Combine(Folder, "p.csv"));
        Assert.Equal(1, code);
        Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("'x2'", stderr);
    }

    [Theory]
    [InlineData("--method", "causal-tree")]
    [InlineData("--learner", "svm")]
    [InlineData("--folds", "1")]
    [InlineData("--bootstrap", "0")]
    [InlineData("--continuous", "true")]
    public void BadFitFlagsAreUsageErrors(string flag, string value)
    {
        var args = new List<string> { "fit", "--data", Experiment(50), "--outcome", "y", "--treatment", "w", "--model", ModelPath, "--method", "dr", flag, value };
        if (flag == "--method")
            args.RemoveRange(args.IndexOf("--method"), 2);
        var (code, _, stderr) = Run([.. args]);
        Assert.Equal(2, code);
        Assert.Contains(flag.TrimStart('-'), stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void AContinuousDoseWithLinearDmlGivesTheMarginalEffect()
    {
        var random = new CausalRandom(3);
        var text = new StringBuilder("y,dose,x\n");
        for (var i = 0; i < 800; i++)
        {
            var x = random.NextGaussian();
            var t = x + random.NextGaussian();
            text.Append(CultureInfo.InvariantCulture, $"{x + 2 * t + random.NextGaussian():R},{t:R},{x:R}\n");
        }
        var (code, stdout, stderr) = Run("fit", "--data", Csv(text.ToString()), "--outcome", "y", "--treatment", "dose", "--continuous",
            "--method", "linear-dml", "--trees", "40", "--model", ModelPath, "--format", "json");
        Assert.Equal("", stderr);
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(stdout);
        Assert.Empty(doc.RootElement.GetProperty("arms").EnumerateArray());
        double ate = doc.RootElement.GetProperty("ate").GetDouble(), se = doc.RootElement.GetProperty("ate_se").GetDouble();
        Assert.InRange(ate, 2 - 4 * se, 2 + 4 * se);
    }

    [Fact]
    public void AKnownPropensityColumnIsUsedForFittingAndNotNeededForScoring()
    {
        var lines = File.ReadAllLines(Experiment(800)).ToList();
        var withP = new[] { lines[0] + ",p" }.Concat(lines.Skip(1).Select(l => l + ",0.5"));
        var train = Csv(string.Join('\n', withP) + "\n", "withp.csv");
        var (code, stdout, stderr) = Fit(train, "dr", "--propensity", "p");
        Assert.Equal("", stderr);
        Assert.Equal(0, code);
        using (var doc = JsonDocument.Parse(stdout))
        {
            double ate = doc.RootElement.GetProperty("ate").GetDouble(), se = doc.RootElement.GetProperty("ate_se").GetDouble();
            Assert.InRange(ate, 1 - 4 * se, 1 + 4 * se);
        }
        var output = Path.Combine(Folder, "preds.csv");
        Assert.Equal(0, Run("predict", "--model", ModelPath, "--data", Experiment(10, name: "test.csv"), "--out", output).Code);
        Assert.Equal(11, File.ReadAllLines(output).Length);
    }

    [Fact]
    public void ACausalForestFitsAndPredictsWithLittleBagIntervals()
    {
        var (code, stdout, stderr) = Run(["fit", "--data", Experiment(1500), "--outcome", "y", "--treatment", "w", "--categorical", "segment",
            "--method", "causal-forest", "--trees", "200", "--model", ModelPath, "--format", "json"]);
        Assert.Equal("", stderr);
        Assert.Equal(0, code);
        using (var doc = JsonDocument.Parse(stdout))
        {
            Assert.Equal("causal-forest", doc.RootElement.GetProperty("method").GetString());
            double ate = doc.RootElement.GetProperty("ate").GetDouble(), se = doc.RootElement.GetProperty("ate_se").GetDouble();
            Assert.InRange(ate, 1 - 4 * se, 1 + 4 * se);
        }
        var output = Path.Combine(Folder, "preds.csv");
        Assert.Equal(0, Run("predict", "--model", ModelPath, "--data", Experiment(40, name: "test.csv"), "--out", output).Code);
        var rows = File.ReadAllLines(output).Skip(1).Select(Parse).ToArray();
        Assert.Equal(40, rows.Length);
        Assert.All(rows, r => Assert.True(r[1] <= r[0] && r[0] <= r[2]));
    }

    [Fact]
    public void CompactSavesASmallerCausalForestThatPredictsTheSameAndIsRefusedForOtherMethods()
    {
        var train = Experiment(800);
        var test = Experiment(30, name: "test.csv");
        string Predictions(string model)
        {
            var output = Path.Combine(Folder, Path.GetFileNameWithoutExtension(model) + ".csv");
            Assert.Equal(0, Run("predict", "--model", model, "--data", test, "--out", output).Code);
            return File.ReadAllText(output);
        }
        string[] FitArgs(string model, params string[] more) =>
            ["fit", "--data", train, "--outcome", "y", "--treatment", "w", "--categorical", "segment", "--method", "causal-forest", "--trees", "50", "--seed", "3", "--model", model, .. more];
        var full = Path.Combine(Folder, "full.zip");
        var small = Path.Combine(Folder, "small.zip");
        Assert.Equal(0, Run(FitArgs(full)).Code);
        var (code, _, stderr) = Run(FitArgs(small, "--compact"));
        Assert.Equal("", stderr);
        Assert.Equal(0, code);
        Assert.True(new FileInfo(small).Length < new FileInfo(full).Length, $"compact {new FileInfo(small).Length} bytes, full {new FileInfo(full).Length}");
        Assert.Equal(Predictions(full), Predictions(small));

        var (refused, _, message) = Fit(train, "dr", "--compact");
        Assert.NotEqual(0, refused);
        Assert.Contains("--compact applies to --method causal-forest", message);
    }

    [Fact]
    public void ACausalForestOnThreeArmsFitsTheMultiArmForestWithPerArmIntervals()
    {
        var fit = Run(["fit", "--data", Experiment(1500, arms: 3), "--outcome", "y", "--treatment", "w", "--categorical", "segment",
            "--method", "causal-forest", "--trees", "100", "--model", ModelPath, "--format", "json"]);
        var lines = ThreeArmsFitAndPredict(fit, "multi-arm-causal-forest");
        var rows = lines.Skip(1).Select(Parse).ToArray();
        Assert.Equal(20, rows.Length);
        Assert.All(rows, r => Assert.True(r[1] < r[0] && r[0] < r[2] && r[4] < r[3] && r[3] < r[5]));
    }

    private static double[] Parse(string line) => line.Split(',').Select(f => double.Parse(f, CultureInfo.InvariantCulture)).ToArray();
}
