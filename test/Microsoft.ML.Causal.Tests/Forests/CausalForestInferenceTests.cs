using Microsoft.ML.Causal.Data;
using Microsoft.ML.Causal.Forests;
using Microsoft.ML.Causal.Inference;
using Microsoft.ML.Causal.Learners;
using Microsoft.ML.Causal.Simulation;
using Microsoft.ML.Causal.TestFramework;
using Microsoft.ML.Causal.Trainers;

namespace Microsoft.ML.Causal.Tests.Forests;

/// <summary>The average effect from out-of-bag scores, bad input, and the causal forest in the CATE pipeline.</summary>
public class CausalForestInferenceTests
{
    [Fact]
    public void InATrialTheOutOfBagMeanAndTheAipwAteAreWithinFourStandardErrorsOfTheTruth()
    {
        const int n = 2000;
        var train = CausalSimulations.WagerAtheyHeterogeneous(n, 2, seed: 71);
        var model = (CausalForestModel)new CausalForest(new CausalForestOptions { Forest = new ForestOptions { NumberOfTrees = 200 } })
            .Fit(train.ToCateData(), new FitContext { Seed = 2 });
        // The population ATE: E[ς(x₁)]² with ς(u) = 1 + 1/(1 + e^{−20(u − 1/3)}) on U[0, 1] (midpoint rule).
        var mean = Enumerable.Range(0, 100_000).Average(k => 1 + 1 / (1 + Math.Exp(-20 * ((k + 0.5) / 100_000 - 1.0 / 3))));
        var truth = mean * mean;
        var ate = model.AverageEffects.Single(e => e.Estimand == Estimand.Ate);
        Assert.Equal("aipw", ate.Method);
        Assert.True(ate.StandardError > 0);
        Assert.InRange(ate.Estimate, truth - 4 * ate.StandardError, truth + 4 * ate.StandardError);
        var oobMean = model.OutOfBagCate.ToArray().Average();
        Assert.InRange(oobMean, truth - 4 * ate.StandardError, truth + 4 * ate.StandardError);
        Assert.Contains(model.AverageEffects, e => e.Estimand == Estimand.Att);
        Assert.True(model.OutOfBagVariance.ToArray().All(v => v >= 0 && double.IsFinite(v)));
    }

    [Fact]
    public void BadInputGetsErrorsNamingTheColumnAndTheRow()
    {
        var sim = CausalSimulations.WagerAtheyHeterogeneous(100, 2, seed: 81);
        var learner = new CausalForest(new CausalForestOptions { Forest = new ForestOptions { NumberOfTrees = 4 }, NuisanceTrees = 4 });
        var y = sim.Outcome.ToArray();
        y[13] = double.NaN;
        var outcome = Assert.Throws<DataValidationException>(() => learner.Fit(sim.ToCateData() with { Outcome = y }));
        Assert.Equal(("Y", 13), (outcome.ColumnName, outcome.Row));

        var w = sim.Treatment.ToArray();
        w[5] = double.NaN;
        var treatment = Assert.Throws<DataValidationException>(() => TreatmentAssignment.FromValues(w, 0, "W"));
        Assert.Equal(("W", 5), (treatment.ColumnName, treatment.Row));
        var dose = Assert.Throws<DataValidationException>(() => TreatmentAssignment.Continuous(w, "Dose"));
        Assert.Equal(("Dose", 5), (dose.ColumnName, dose.Row));

        var weights = Enumerable.Repeat(1.0, 100).ToArray();
        weights[40] = double.NaN;
        var weight = Assert.Throws<DataValidationException>(() => learner.Fit(sim.ToCateData() with { Weights = weights }));
        Assert.Equal(("Weight", 40), (weight.ColumnName, weight.Row));

        var estimates = new double[100];
        estimates[9] = double.PositiveInfinity;
        var given = Assert.Throws<DataValidationException>(() => new CausalForest(new CausalForestOptions { OutcomeEstimates = estimates, Forest = new ForestOptions { NumberOfTrees = 2 } }).Fit(sim.ToCateData()));
        Assert.Equal(("OutcomeEstimates", 9), (given.ColumnName, given.Row));

        // Three rows cannot give every tree a split half and an estimation half: the message says both numbers.
        var tiny = sim.ToCateData() with { Rows = new[] { 0, 1, 2 } };
        var few = Assert.Throws<DataValidationException>(() => learner.Fit(tiny with { Rows = FirstOfEachArm(sim, 3) }));
        Assert.Contains("there are 3 rows", few.Message);
        Assert.Contains("at least 4", few.Message);
    }

    private static int[] FirstOfEachArm(SimulatedExperiment sim, int count)
    {
        var treated = Enumerable.Range(0, sim.RowCount).First(i => sim.Treatment[i] == 1);
        var control = Enumerable.Range(0, sim.RowCount).Where(i => sim.Treatment[i] == 0).Take(count - 1);
        return [.. control, treated];
    }

    [Fact]
    public void TheCausalForestPassesTheConformanceKitAsAPipelineTrainer()
    {
        var train = CausalSimulations.NieWagerB(300, 5, seed: 3).ToDataView();
        var score = CausalSimulations.NieWagerB(60, 5, seed: 4).ToDataView();
        var learner = new CausalForest(new CausalForestOptions { Forest = new ForestOptions { NumberOfTrees = 40 }, NuisanceTrees = 20 });
        EstimatorConformance.Run(new ConformanceCase<CausalTransformerChain<CateTransformer>>
        {
            Create = ctx => ctx.Transforms.Featurize("Features", "x1", "x2", "x3", "x4", "x5").Append(ctx.Cate.Trainers.FromLearner(learner, new CateColumns("Y", "W"))),
            TrainData = train,
            ScoringData = score,
            BadSchemas = [(TestTables.Without(train, "Y"), "Y"), (TestTables.Without(train, "W"), "W")],
            BadValues = [(TestTables.WithValue(train, "Y", 7, double.NaN), "Y"), (TestTables.WithValue(train, "W", 11, double.NaN), "W")],
            TrainingOnlyColumns = ["Y", "W"],
        });
    }

    [Fact]
    public void ABatchTransformScoresBlocksOfRowsExactlyAsRowByRow()
    {
        // 4500 rows: more than one transform block of 4096 rows, and not a multiple of the forest's 256-row walk.
        var train = CausalSimulations.NieWagerB(300, 5, seed: 13).ToDataView();
        var score = CausalSimulations.NieWagerB(4500, 5, seed: 16).ToDataView();
        var ctx = new CausalContext(15);
        var model = ctx.Transforms.Featurize("Features", "x1", "x2", "x3", "x4", "x5")
            .Append(ctx.Cate.Trainers.CausalForest(new CausalForestOptions { Forest = new ForestOptions { NumberOfTrees = 40 }, NuisanceTrees = 20 }, new CateColumns("Y", "W")))
            .Fit(train);
        var cateModel = model.LastTransformer.Model;
        Assert.True(cateModel.PredictionBlockRows > 1);
        var scored = model.LastTransformer.WithLevel(0.9).Transform(model.Transformers[0].Transform(score));
        var features = scored.GetColumn<double>("Features").Span;
        double[][] columns = [.. new[] { CateTransformer.CateColumn, CateTransformer.LowerColumn, CateTransformer.UpperColumn, CateTransformer.VarianceColumn }
            .Select(c => scored.GetColumn<double>(c).ToArray())];
        var expected = new double[4];
        for (var i = 0; i < score.RowCount; i++)
        {
            cateModel.Predict(features.Slice(i * 5, 5), 0.9, expected.AsSpan(0, 1), expected.AsSpan(1, 1), expected.AsSpan(2, 1), expected.AsSpan(3, 1));
            for (var c = 0; c < 4; c++)
                Assert.Equal(expected[c], columns[c][i]);
        }
    }

    [Fact]
    public void ThePipelineAddsCateVarianceForForestsWithTreeGroupsOnly()
    {
        var train = CausalSimulations.NieWagerB(300, 5, seed: 13).ToDataView();
        var score = CausalSimulations.NieWagerB(25, 5, seed: 14).ToDataView();
        var ctx = new CausalContext(15);
        var featurize = ctx.Transforms.Featurize("Features", "x1", "x2", "x3", "x4", "x5");
        var forest = featurize.Append(ctx.Cate.Trainers.CausalForest(new CausalForestOptions { Forest = new ForestOptions { NumberOfTrees = 40 }, NuisanceTrees = 20 }, new CateColumns("Y", "W")));
        Assert.Equal(ColumnType.Double, forest.GetOutputSchema(train.Schema)[CateTransformer.VarianceColumn].Type);
        var model = forest.Fit(train);
        var scored = model.Transform(score);
        var features = scored.GetColumn<double>("Features").Span;
        var cate = scored.GetColumn<double>(CateTransformer.CateColumn).Span;
        var upper = scored.GetColumn<double>(CateTransformer.UpperColumn).Span;
        var variance = scored.GetColumn<double>(CateTransformer.VarianceColumn).Span;
        var fitted = (CausalForestModel)model.LastTransformer.Model;
        Span<double> v = stackalloc double[1];
        for (var i = 0; i < score.RowCount; i++)
        {
            var x = features.Slice(i * 5, 5);
            Assert.Equal(fitted.PredictVariance(x), variance[i]);
            fitted.PredictVariance(x, v);
            Assert.Equal(v[0], variance[i]);
            Assert.Equal(cate[i] + AverageEffect.Quantile(0.95) * Math.Sqrt(variance[i]), upper[i], 12);
        }

        // Groups of one tree have no little-bags variance: bootstrap intervals and no CateVariance column.
        var single = featurize.Append(ctx.Cate.Trainers.CausalForest(new CausalForestOptions
        {
            Forest = new ForestOptions { NumberOfTrees = 10, CiGroupSize = 1 }, NuisanceTrees = 10, BootstrapReplicates = 2,
        }, new CateColumns("Y", "W")));
        Assert.False(single.GetOutputSchema(train.Schema).TryGetColumn(CateTransformer.VarianceColumn, out _));
        var bootstrapped = single.Fit(train);
        Assert.False(bootstrapped.Transform(score).Schema.TryGetColumn(CateTransformer.VarianceColumn, out _));
        Assert.False(bootstrapped.LastTransformer.Model.HasVariance);
        var first = features[..5].ToArray();
        Assert.Throws<InvalidOperationException>(() => bootstrapped.LastTransformer.Model.PredictVariance(first, new double[1]));
    }
}
