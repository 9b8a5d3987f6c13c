using Microsoft.ML.Causal.Inference;
using Microsoft.ML.Causal.Learners;
using Microsoft.ML.Causal.Learners.GradientBoosting;
using Microsoft.ML.Causal.Persistence;
using Microsoft.ML.Causal.Simulation;
using Microsoft.ML.Causal.Trainers;

namespace Microsoft.ML.Causal.Tests.Trainers;

public class CateEstimatorTests
{
    /// <summary>Nuisance and final learners small enough for tests (50 trees, 15 leaves).</summary>
    internal static readonly GradientBoostingOptions Boost = new() { NumberOfTrees = 50, NumberOfLeaves = 15, LearningRate = 0.1 };

    internal static ICateLearner Create(string method, int replicates = 0)
    {
        var outcome = new GradientBoostingRegressionLearner(Boost);
        var final = CateDefaults.FinalLearner();
        var propensity = new GradientBoostingClassificationLearner(Boost);
        return method switch
        {
            "s" => new SLearner(new MetaLearnerOptions { OutcomeLearner = outcome, PropensityLearner = propensity, BootstrapReplicates = replicates }),
            "t" => new TLearner(new MetaLearnerOptions { OutcomeLearner = outcome, PropensityLearner = propensity, BootstrapReplicates = replicates }),
            "x" => new XLearner(new FinalStageOptions { OutcomeLearner = outcome, PropensityLearner = propensity, FinalLearner = final, BootstrapReplicates = replicates }),
            "r" => new RLearner(new FinalStageOptions { OutcomeLearner = outcome, PropensityLearner = propensity, FinalLearner = final, BootstrapReplicates = replicates }),
            "dr" => new DRLearner(new FinalStageOptions { OutcomeLearner = outcome, PropensityLearner = propensity, FinalLearner = final, BootstrapReplicates = replicates }),
            "linear-dml" => new LinearDml(new DmlOptions { OutcomeLearner = outcome, PropensityLearner = propensity }),
            "sparse-linear-dml" => new SparseLinearDml(new DmlOptions { OutcomeLearner = outcome, PropensityLearner = propensity }),
            _ => throw new ArgumentException(method),
        };
    }

    public static TheoryData<string> Methods => ["s", "t", "x", "r", "dr", "linear-dml", "sparse-linear-dml"];

    [Theory]
    [MemberData(nameof(Methods))]
    public void OnATrialTheAteAndTheMeanCateAreWithinFourStandardErrorsOfTheTruth(string method)
    {
        var sim = CausalSimulations.NieWagerB(2000, 6, seed: 21);
        var data = sim.ToCateData();
        var model = Create(method).Fit(data, new FitContext { Seed = 5 });
        var truth = sim.Effect.Average();
        var ate = model.AverageEffects.Single(e => e.Estimand == Estimand.Ate);
        Assert.True(ate.StandardError > 0 && double.IsFinite(ate.StandardError));
        Assert.InRange(ate.Estimate, truth - 4 * ate.StandardError, truth + 4 * ate.StandardError);

        var x = data.Features;
        var meanCate = Enumerable.Range(0, x.RowCount).Average(i => model.PredictCate(x.Row(i)));
        Assert.InRange(meanCate, truth - 4 * ate.StandardError, truth + 4 * ate.StandardError);
    }

    [Fact]
    public void OnSetupCTheDrAndRLearnersBeatTheTLearner()
    {
        // Setup C: constant τ = 1 under a hard baseline; separate arm models (T) carry the baseline's error into τ̂.
        var train = CausalSimulations.NieWagerC(2000, 6, seed: 31).ToCateData();
        var test = CausalSimulations.NieWagerC(2000, 6, seed: 32);
        var mse = new Dictionary<string, double>();
        foreach (var method in new[] { "t", "r", "dr" })
        {
            var model = Create(method).Fit(train, new FitContext { Seed = 7 });
            var x = test.ToFeatureMatrix();
            mse[method] = Enumerable.Range(0, x.RowCount).Average(i => Math.Pow(model.PredictCate(x.Row(i)) - test.Effect[i], 2));
        }
        Assert.True(mse["dr"] < mse["t"], $"DR MSE {mse["dr"]:G3} vs T {mse["t"]:G3}");
        Assert.True(mse["r"] < mse["t"], $"R MSE {mse["r"]:G3} vs T {mse["t"]:G3}");
    }

    [Fact]
    public void LinearDmlLeavesOutATermThatIsACombinationOfOthersWithoutChangingTheEffects()
    {
        // Features x1..x6 plus both one-hot columns of a category (they sum to the constant): the final stage drops
        // the redundant term; τ̂(x) equals the fit without the second dummy.
        var sim = CausalSimulations.NieWagerB(1500, 6, seed: 41);
        var x = sim.ToFeatureMatrix();
        var n = x.RowCount;
        var withBoth = new double[n * 8];
        var withOne = new double[n * 7];
        for (var i = 0; i < n; i++)
        {
            var dummy = i % 3 == 0 ? 1.0 : 0.0;
            for (var j = 0; j < 6; j++)
                withBoth[i * 8 + j] = withOne[i * 7 + j] = x[i, j];
            withBoth[i * 8 + 6] = withOne[i * 7 + 6] = dummy;
            withBoth[i * 8 + 7] = 1 - dummy;
        }
        var data = sim.ToCateData();
        var both = data with { Features = new FeatureMatrix(withBoth, n, 8) };
        var one = data with { Features = new FeatureMatrix(withOne, n, 7) };
        var messages = new List<string>();
        var context = new FitContext { Seed = 3, Log = (_, _, m) => messages.Add(m) };
        var full = Create("linear-dml").Fit(both, context);
        var reduced = Create("linear-dml").Fit(one, context with { Log = null });
        Assert.Contains(messages, m => m.Contains("left out", StringComparison.Ordinal));
        for (var i = 0; i < 50; i++)
            Assert.Equal(reduced.PredictCate(one.Features.Row(i)), full.PredictCate(both.Features.Row(i)), 8);
    }
}
