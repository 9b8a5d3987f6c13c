using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.ML.Causal.Data;
using Microsoft.ML.Causal.Numerics;
using Microsoft.ML.Causal.Trainers;

namespace Microsoft.ML.Causal.Tests.Cli;

/// <summary><c>causal profit</c>, run in-process on temporary CSV files.</summary>
public sealed class ProfitCommandTests : CliTests
{
    /// <summary>
    /// n rows of a randomized experiment with doses w ∈ {0, 10, 20} (percent off): x1, x2 ~ N(0, 1); y = 5 + x1 + τ_w + ε with
    /// τ₁₀ = 1 + x2 and τ₂₀ = 2 − x2; b = 5 + x1 is the expected outcome at control.
    /// </summary>
    private string Experiment(int n, string name = "train.csv")
    {
        var random = new CausalRandom(n);
        var text = new StringBuilder("y,w,x1,x2,b\n");
        for (var i = 0; i < n; i++)
        {
            var x1 = random.NextGaussian();
            var x2 = random.NextGaussian();
            var w = 10 * random.NextInt(3);
            var tau = w == 10 ? 1 + x2 : w == 20 ? 2 - x2 : 0;
            text.Append(CultureInfo.InvariantCulture, $"{5 + x1 + tau + 0.5 * random.NextGaussian():R},{w},{x1:R},{x2:R},{5 + x1:R}\n");
        }
        return Csv(text.ToString(), name);
    }

    private string ModelPath => Path.Combine(Folder, "model.zip");

    private string OutPath => Path.Combine(Folder, "profits.csv");

    private void Fit(string data, params string[] more)
    {
        var (code, _, err) = Run(["fit", "--data", data, "--outcome", "y", "--treatment", "w", "--features", "x1,x2", "--method", "t", "--learner", "linear",
            "--bootstrap", "2", "--folds", "2", "--model", ModelPath, .. more]);
        Assert.True(code == 0, err);
    }

    /// <summary>τ̂ of every arm per row, as the library scores the file with the saved model.</summary>
    private double[] Effects(string data, out int effects, out string[] names)
    {
        var ctx = new CausalContext(1);
        var model = ctx.Model.Load<CausalTransformerChain<CateTransformer>>(ModelPath, out _);
        var scored = model.Transform(ctx.Data.LoadFromTextFile(data));
        effects = model.LastTransformer.Model.EffectCount;
        names = [.. model.LastTransformer.EffectNames];
        return scored.GetColumn<double>("Cate").ToArray();
    }

    private static double[][] Read(string path) =>
        [.. File.ReadAllLines(path).Skip(1).Select(l => l.Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray())];

    [Fact]
    public void WritesOneProfitColumnPerListedLevelInOrderByTheDocumentedFormula()
    {
        Fit(Experiment(900));
        var test = Experiment(60, "test.csv");
        var (code, stdout, stderr) = Run("profit", "--model", ModelPath, "--data", test, "--levels", "20,0,10", "--margin", "0.5", "--cost", "0.1", "--out", OutPath, "--format", "json");
        Assert.Equal("", stderr);
        Assert.Equal(0, code);
        using (var doc = JsonDocument.Parse(stdout))
        {
            var root = doc.RootElement;
            Assert.Equal(["rows", "out", "levels", "columns"], root.EnumerateObject().Select(p => p.Name));
            Assert.Equal(60, root.GetProperty("rows").GetInt32());
            Assert.Equal(["profit_20", "profit_0", "profit_10"], root.GetProperty("columns").EnumerateArray().Select(c => c.GetString()));
        }
        var lines = File.ReadAllLines(OutPath);
        Assert.Equal("profit_20,profit_0,profit_10", lines[0]);
        Assert.Equal(61, lines.Length);
        var tau = Effects(test, out var e, out var names);
        Assert.Equal(["10", "20"], names);
        var rows = Read(OutPath);
        for (var i = 0; i < rows.Length; i++)
        {
            Assert.Equal(0.5 * tau[i * e + 1] - 0.1, rows[i][0], 12);
            Assert.Equal(0, rows[i][1]);
            Assert.Equal(0.5 * tau[i * e] - 0.1, rows[i][2], 12);
        }
    }

    [Fact]
    public void WithABaselineTheDepthIsGivenAwayOnItToo()
    {
        Fit(Experiment(900));
        var test = Experiment(40, "test.csv");
        var (code, _, stderr) = Run("profit", "--model", ModelPath, "--data", test, "--levels", "0,10,20", "--margin", "0.6", "--cost", "0.5", "--baseline", "b", "--out", OutPath);
        Assert.True(code == 0, stderr);
        var tau = Effects(test, out var e, out _);
        var b = new CausalContext(1).Data.LoadFromTextFile(test).GetNumericColumn("b").ToArray();
        var rows = Read(OutPath);
        for (var i = 0; i < rows.Length; i++)
        {
            Assert.Equal(0, rows[i][0]);
            Assert.Equal((0.6 - 0.1) * tau[i * e] - 0.1 * b[i] - 0.5, rows[i][1], 12);
            Assert.Equal((0.6 - 0.2) * tau[i * e + 1] - 0.2 * b[i] - 0.5, rows[i][2], 12);
        }
    }

    [Fact]
    public void AContinuousTreatmentScalesTheMarginalEffectByTheDose()
    {
        var (fit, _, err) = Run("fit", "--data", Experiment(900), "--outcome", "y", "--treatment", "w", "--features", "x1,x2", "--continuous", "--method", "linear-dml",
            "--learner", "linear", "--folds", "2", "--model", ModelPath);
        Assert.True(fit == 0, err);
        var test = Experiment(30, "test.csv");
        var (code, _, stderr) = Run("profit", "--model", ModelPath, "--data", test, "--levels", "0,15", "--margin", "2", "--out", OutPath);
        Assert.True(code == 0, stderr);
        var tau = Effects(test, out _, out _);
        var rows = Read(OutPath);
        for (var i = 0; i < rows.Length; i++)
        {
            Assert.Equal(0, rows[i][0]);
            Assert.Equal(2 * 15 * tau[i], rows[i][1], 12);
        }
    }

    [Fact]
    public void BadInputAndUsageGiveTheDocumentedExitCodesAndNameTheProblem()
    {
        Fit(Experiment(600));
        var test = Experiment(20, "test.csv");
        var unknown = Run("profit", "--model", ModelPath, "--data", test, "--levels", "0,7", "--margin", "1", "--out", OutPath);
        Assert.Equal(1, unknown.Code);
        Assert.Contains("'7' is not an arm", unknown.Err);
        Assert.Contains("0, 10, 20", unknown.Err);
        var baseline = Run("profit", "--model", ModelPath, "--data", test, "--levels", "0,10", "--margin", "1", "--baseline", "spend", "--out", OutPath);
        Assert.Equal(1, baseline.Code);
        Assert.Contains("'spend'", baseline.Err);
        var repeated = Run("profit", "--model", ModelPath, "--data", test, "--levels", "0,10,10", "--margin", "1", "--out", OutPath);
        Assert.Equal(1, repeated.Code);
        Assert.Contains("distinct", repeated.Err);
        Assert.Equal(2, Run("profit", "--model", ModelPath, "--data", test, "--levels", "0,10", "--out", OutPath).Code);
        Assert.Equal(2, Run("profit", "--model", ModelPath, "--data", test, "--levels", "0,10", "--margin", "1", "--cost", "-1", "--out", OutPath).Code);
        var missing = Run("profit", "--model", Path.Combine(Folder, "none.zip"), "--data", test, "--levels", "0,10", "--margin", "1", "--out", OutPath);
        Assert.Equal(1, missing.Code);
    }
}
