using Microsoft.ML.Causal.Data;
using Microsoft.ML.Causal.Learners;
using Microsoft.ML.Causal.Learners.RandomForest;
using Microsoft.ML.Causal.Numerics;
using Microsoft.ML.Causal.Persistence;
using Microsoft.ML.Causal.TestFramework;

namespace Microsoft.ML.Causal.Tests.Learners;

public class RandomForestTests
{
    [Fact]
    public void OneFullyGrownTreeOnAllRowsInterpolatesDistinctPoints()
    {
        double[] x = [0.3, 1.7, 2.2, 4.1, 5.0, 6.6, 7.2, 8.9];
        double[] y = [5, -1, 3, 8, 2, 2.5, 9, -4];
        var options = new RandomForestOptions { NumberOfTrees = 1, SampleFraction = 1, Honest = false, MinRowsInLeaf = 1 };
        var model = new RandomForestRegressionLearner(options).FitModel(new TrainingSet(new FeatureMatrix(x, x.Length, 1), y));
        for (var i = 0; i < x.Length; i++)
            Assert.Equal(y[i], model.Predict([x[i]]), 12);
    }

    [Fact]
    public void OutOfBagPredictionsDoNotSeeTheirOwnRow()
    {
        // Labels are noise independent of x: deep trees memorize them in-sample, but a row's out-of-bag
        // prediction comes only from trees that never saw it, so it is uncorrelated with the row's label.
        const int n = 2000;
        var r = new CausalRandom(11);
        var x = new double[n * 3];
        var y = new double[n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < 3; j++)
                x[3 * i + j] = r.NextDouble();
            y[i] = GradientBoostingTests.Normal(r);
        }
        var data = new TrainingSet(new FeatureMatrix(x, n, 3), y);
        var options = new RandomForestOptions { NumberOfTrees = 100, Honest = false, MinRowsInLeaf = 1 };
        var (model, oob) = new RandomForestRegressionLearner(options).FitWithOutOfBag(data);
        var inSample = Enumerable.Range(0, n).Select(i => model.Predict(data.Features.Row(i))).ToArray();
        // Under independence a sample correlation has standard error ≈ 1/√n; allow 4 of them.
        var bound = 4 / Math.Sqrt(n);
        Assert.True(Math.Abs(Correlation(oob, y)) < bound, $"corr(oob, y) = {Correlation(oob, y):F3}");
        Assert.True(Correlation(inSample, y) > 0.5, $"corr(in-sample, y) = {Correlation(inSample, y):F3}");
    }

    [Fact]
    public void HonestForestLearnsASmoothFunction()
    {
        var (train, _, _) = GradientBoostingTests.Friedman(3000, seed: 1);
        var (test, truth, _) = GradientBoostingTests.Friedman(1000, seed: 2);
        var model = new RandomForestRegressionLearner(new RandomForestOptions { NumberOfTrees = 200 }).FitModel(train);
        var predictions = new double[1000];
        model.Predict(test.Features, predictions);
        // Stated bound: the forest explains at least 80 % of the variance of f (≈ 2.5) on fresh rows.
        var mse = predictions.Select((p, i) => (p - truth[i]) * (p - truth[i])).Average();
        var variance = truth.Select(t => (t - truth.Average()) * (t - truth.Average())).Average();
        Assert.True(mse < 0.2 * variance, $"MSE {mse:F3} vs Var f {variance:F3}");
    }

    [Fact]
    public void ProbabilityForestGivesProbabilitiesThatRank()
    {
        var r = new CausalRandom(3);
        const int n = 3000;
        var x = new double[n * 2];
        var y = new double[n];
        for (var i = 0; i < n; i++)
        {
            x[2 * i] = r.NextDouble() * 4 - 2;
            x[2 * i + 1] = r.NextDouble();
            y[i] = r.NextDouble() < 1 / (1 + Math.Exp(-2 * x[2 * i])) ? 1 : 0;
        }
        var data = new TrainingSet(new FeatureMatrix(x, n, 2), y);
        var (model, oob) = new RandomForestProbabilityLearner(new RandomForestOptions { NumberOfTrees = 100, Sampling = ForestSampling.Bootstrap, SampleFraction = 1 }).FitWithOutOfBag(data);
        Assert.All(oob, p => Assert.InRange(p, 0, 1));
        Assert.InRange(model.PredictProbability([1.5, 0.5]), 0.7, 1);
        Assert.InRange(model.PredictProbability([-1.5, 0.5]), 0, 0.3);
        Assert.True(GradientBoostingTests.Auc(oob, y) > 0.75);
    }

    [Fact]
    public void TheForestDoesNotDependOnTheThreadCount()
    {
        var (train, _, _) = GradientBoostingTests.Friedman(1500, seed: 5);
        var options = new RandomForestOptions { NumberOfTrees = 40, Seed = 3 };
        var results = new[] { 1, 2, 8 }.Select(t => new RandomForestRegressionLearner(options).FitWithOutOfBag(train, new FitContext { MaxDegreeOfParallelism = t })).ToList();
        for (var i = 0; i < 1500; i += 11)
        {
            var row = train.Features.Row(i);
            foreach (var other in results.Skip(1))
            {
                Assert.Equal(BitConverter.DoubleToInt64Bits(results[0].Model.Predict(row)), BitConverter.DoubleToInt64Bits(other.Model.Predict(row)));
                Assert.Equal(BitConverter.DoubleToInt64Bits(results[0].OutOfBag[i]), BitConverter.DoubleToInt64Bits(other.OutOfBag[i]));
            }
        }
    }

    [Fact]
    public void SaveAndLoadGiveIdenticalPredictionsAndBytes()
    {
        var (train, _, _) = GradientBoostingTests.Friedman(800, seed: 6);
        var model = new RandomForestRegressionLearner(new RandomForestOptions { NumberOfTrees = 10 }).FitModel(train);
        using var first = new MemoryStream();
        ModelArchive.Save(model, DataSchema.Empty, first, 1);
        var loaded = (RandomForestRegressionModel)ModelArchive.Load(new MemoryStream(first.ToArray()), out _);
        using var second = new MemoryStream();
        ModelArchive.Save(loaded, DataSchema.Empty, second, 1);
        Assert.Equal(first.ToArray(), second.ToArray());
        for (var i = 0; i < 800; i += 9)
            Assert.Equal(model.Predict(train.Features.Row(i)), loaded.Predict(train.Features.Row(i)));
    }

    [Fact]
    public void ForestTrainersPassTheConformanceKit()
    {
        var train = TestTables.Mixed(300, seed: 1);
        var score = TestTables.Mixed(100, seed: 2);
        var options = new RandomForestOptions { NumberOfTrees = 12, MinRowsInLeaf = 5 };
        EstimatorConformance.Run(new ConformanceCase<CausalTransformerChain<RegressionScoringTransformer>>
        {
            Create = ctx => ctx.Transforms.Featurize("Features", "Income", "Region", "Arm", "Scores", "Age")
                .Append(ctx.Regression.Trainers.RandomForest(options, labelColumnName: "Visits")),
            TrainData = train,
            ScoringData = score,
            BadSchemas = [(TestTables.Without(train, "Visits"), "Visits")],
            TrainingOnlyColumns = ["Visits"],
        });
        EstimatorConformance.Run(new ConformanceCase<CausalTransformerChain<BinaryScoringTransformer>>
        {
            Create = ctx => ctx.Transforms.Featurize("Features", "Income", "Region", "Scores")
                .Append(ctx.BinaryClassification.Trainers.RandomForest(options, labelColumnName: "Member")),
            TrainData = train,
            ScoringData = score,
            BadSchemas = [(TestTables.Without(train, "Member"), "Member")],
            TrainingOnlyColumns = ["Member"],
        });
    }

    private static double Correlation(double[] a, double[] b)
    {
        double ma = a.Average(), mb = b.Average(), sab = 0, saa = 0, sbb = 0;
        for (var i = 0; i < a.Length; i++)
        {
            sab += (a[i] - ma) * (b[i] - mb);
            saa += (a[i] - ma) * (a[i] - ma);
            sbb += (b[i] - mb) * (b[i] - mb);
        }
        return sab / Math.Sqrt(saa * sbb);
    }
}
