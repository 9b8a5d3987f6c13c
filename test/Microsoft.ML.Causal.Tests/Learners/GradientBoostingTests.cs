using Microsoft.ML.Causal.Learners;
using Microsoft.ML.Causal.Learners.GradientBoosting;
using Microsoft.ML.Causal.Numerics;
using Microsoft.ML.Causal.Persistence;

namespace Microsoft.ML.Causal.Tests.Learners;

public class GradientBoostingTests
{
    private static readonly GradientBoostingOptions Stump = new() { NumberOfTrees = 1, LearningRate = 1, NumberOfLeaves = 2, MinRowsInLeaf = 1 };

    private static FeatureMatrix Column(params double[] x) => new(x, x.Length, 1);

    [Fact]
    public void AStumpOnTenRowsSplitsWhereTheSquaredErrorIsSmallestAndPredictsTheSideMeans()
    {
        double[] x = [3, 1, 4, 1.5, 5, 9, 2, 6, 5.5, 8];
        double[] y = [2, 1, 3, 1, 4, 9, 2, 8, 7, 9];
        var model = new GradientBoostingRegressionLearner(Stump).FitModel(new TrainingSet(Column(x), y));

        // Brute force: every cut between sorted distinct x values; the best one minimizes the two sides' squared error.
        var sorted = x.Order().ToArray();
        var best = (Sse: double.PositiveInfinity, Cut: 0.0, Left: 0.0, Right: 0.0);
        for (var i = 0; i + 1 < sorted.Length; i++)
        {
            var cut = (sorted[i] + sorted[i + 1]) / 2;
            var left = y.Where((_, k) => x[k] <= cut).ToArray();
            var right = y.Where((_, k) => x[k] > cut).ToArray();
            var sse = left.Sum(v => Math.Pow(v - left.Average(), 2)) + right.Sum(v => Math.Pow(v - right.Average(), 2));
            if (sse < best.Sse)
                best = (sse, cut, left.Average(), right.Average());
        }
        var tree = model.Ensemble.Trees.Single();
        Assert.Equal(best.Cut, tree.Threshold[0], 12);
        Assert.Equal(best.Left, model.Predict([best.Cut - 1e-9]), 12);
        Assert.Equal(best.Right, model.Predict([best.Cut + 1e-9]), 12);
        Assert.Equal(y.Average(), model.Ensemble.Bias, 12);
    }

    [Fact]
    public void L2ShrinksLeafValuesToMinusGOverHPlusLambda()
    {
        double[] x = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
        double[] y = [1, 1, 1, 1, 1, 5, 5, 5, 5, 5];
        var model = new GradientBoostingRegressionLearner(Stump with { L2Regularization = 1 }).FitModel(new TrainingSet(Column(x), y));
        // Bias 3; left gradients sum 5·(3 − 1) = 10 over hessian 5 → leaf −10 / (5 + 1).
        Assert.Equal(3 - 10.0 / 6, model.Predict([2]), 12);
        Assert.Equal(3 + 10.0 / 6, model.Predict([9]), 12);
    }

    [Fact]
    public void MissingValuesGoToTheSideTheyResemble()
    {
        // Missing x comes with high y: the split must send NaN with the high values.
        double[] x = [1, 2, 3, 4, 5, 6, double.NaN, double.NaN, double.NaN, double.NaN];
        double[] y = [0, 0, 0, 10, 10, 10, 10, 10, 10, 10];
        var model = new GradientBoostingRegressionLearner(Stump).FitModel(new TrainingSet(Column(x), y));
        Assert.Equal(10, model.Predict([double.NaN]), 12);
        Assert.Equal(0, model.Predict([2]), 12);
        Assert.Equal(10, model.Predict([5]), 12);
    }

    [Fact]
    public void WithoutMissingValuesInTrainingANaNFollowsTheHeavierSide()
    {
        double[] x = [1, 2, 3, 4, 5, 6, 7, 8];
        double[] y = [0, 0, 10, 10, 10, 10, 10, 10];
        var model = new GradientBoostingRegressionLearner(Stump).FitModel(new TrainingSet(Column(x), y));
        Assert.Equal(10, model.Predict([double.NaN]), 12);
    }

    [Fact]
    public void IntegerWeightsEqualDuplicatedRows()
    {
        var r = new CausalRandom(5);
        var n = 200;
        var x = new double[n * 2];
        var y = new double[n];
        var w = new double[n];
        for (var i = 0; i < n; i++)
        {
            x[2 * i] = r.NextInt(30);       // few distinct values, so binning does not depend on duplication
            x[2 * i + 1] = r.NextInt(12);
            y[i] = x[2 * i] * 0.3 - x[2 * i + 1] + r.NextDouble();
            w[i] = 1 + r.NextInt(3);
        }
        var options = new GradientBoostingOptions { NumberOfTrees = 20, MinRowsInLeaf = 1, NumberOfLeaves = 8 };
        var weighted = new GradientBoostingRegressionLearner(options).FitModel(new TrainingSet(new FeatureMatrix(x, n, 2), y) { Weights = w });

        var dx = new List<double>();
        var dy = new List<double>();
        for (var i = 0; i < n; i++)
        {
            for (var k = 0; k < w[i]; k++)
            {
                dx.Add(x[2 * i]);
                dx.Add(x[2 * i + 1]);
                dy.Add(y[i]);
            }
        }
        var duplicated = new GradientBoostingRegressionLearner(options).FitModel(new TrainingSet(new FeatureMatrix(dx.ToArray(), dy.Count, 2), dy.ToArray()));
        for (var i = 0; i < n; i++)
        {
            var row = x.AsSpan(2 * i, 2);
            Assert.Equal(duplicated.Predict(row), weighted.Predict(row), 9);
        }
    }

    [Fact]
    public void BoostingLearnsASmoothFunctionDownToTheNoise()
    {
        // y = f(x) + ε with Var f ≈ 2.5 and σ = 0.3: a good fit leaves the noise, RMSE vs y near 0.3.
        var (train, _, _) = Friedman(4000, seed: 1);
        var (test, testTruth, testY) = Friedman(2000, seed: 2);
        var model = new GradientBoostingRegressionLearner(new GradientBoostingOptions { NumberOfTrees = 400 }).FitModel(train);
        var predictions = new double[2000];
        model.Predict(test.Features, predictions);
        var rmseTruth = Math.Sqrt(predictions.Select((p, i) => (p - testTruth[i]) * (p - testTruth[i])).Average());
        var rmseY = Math.Sqrt(predictions.Select((p, i) => (p - testY[i]) * (p - testY[i])).Average());
        // Stated bounds: error against f below a third of f's standard deviation (√2.5 ≈ 1.58), and against y
        // within 1.3 × the noise σ.
        Assert.True(rmseTruth < 0.53, $"RMSE against f(x) is {rmseTruth:F3}.");
        Assert.True(rmseY < 1.3 * 0.3, $"RMSE against y is {rmseY:F3}.");
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void AFitOnARowSubsetEqualsAFitOnThoseRowsCopied(bool binary, bool gaps)
    {
        // Integer features, every value many times over, so dropping rows leaves the bins unchanged. With gaps the
        // subset skips every seventh row (its root gathers gradients); without, it skips the first rows (its root
        // reads a run of rows in place, starting past 0).
        var r = new CausalRandom(11);
        const int n = 3000, p = 3;
        var x = new double[n * p];
        var y = new double[n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < p; j++)
                x[i * p + j] = r.NextInt(40);
            var f = x[i * p] / 10 - x[i * p + 1] / 20 + 2 * r.NextDouble();
            y[i] = binary ? (f > 1 ? 1 : 0) : f;
        }
        var keep = Enumerable.Range(0, n).Where(i => gaps ? i % 7 != 3 : i >= 100).ToArray();
        var copyX = keep.SelectMany(i => x.Skip(i * p).Take(p)).ToArray();
        var copyY = keep.Select(i => y[i]).ToArray();
        var options = new GradientBoostingOptions { NumberOfTrees = 20 };
        var subset = new TrainingSet(new FeatureMatrix(x, n, p), y) { Rows = keep };
        var copy = new TrainingSet(new FeatureMatrix(copyX, keep.Length, p), copyY);
        Func<TrainingSet, Func<double[], double>> fit = binary
            ? d => { var m = new GradientBoostingClassificationLearner(options).FitModel(d); return v => m.PredictProbability(v); }
            : d => { var m = new GradientBoostingRegressionLearner(options).FitModel(d); return v => m.Predict(v); };
        var (a, b) = (fit(subset), fit(copy));
        for (var i = 0; i < 200; i++)
        {
            double[] row = [r.NextInt(40), r.NextInt(40), r.NextInt(40)];
            Assert.Equal(b(row), a(row));
        }
    }

    [Fact]
    public void TheModelDoesNotDependOnTheThreadCount()
    {
        var (train, _, _) = Friedman(3000, seed: 3);
        var options = new GradientBoostingOptions { NumberOfTrees = 30, RowSubsampleFraction = 0.7, FeatureFractionPerTree = 0.8, FeatureFractionPerNode = 0.7, Seed = 9 };
        var models = new[] { 1, 2, 8 }.Select(t => new GradientBoostingRegressionLearner(options).FitModel(train, new FitContext { MaxDegreeOfParallelism = t })).ToList();
        for (var i = 0; i < 3000; i += 7)
        {
            var row = train.Features.Row(i);
            Assert.Equal(BitConverter.DoubleToInt64Bits(models[0].Predict(row)), BitConverter.DoubleToInt64Bits(models[1].Predict(row)));
            Assert.Equal(BitConverter.DoubleToInt64Bits(models[0].Predict(row)), BitConverter.DoubleToInt64Bits(models[2].Predict(row)));
        }
    }

    [Fact]
    public void SaveAndLoadGiveIdenticalPredictionsAndBytes()
    {
        var (train, _, _) = Friedman(1000, seed: 4);
        var model = new GradientBoostingRegressionLearner(new GradientBoostingOptions { NumberOfTrees = 20 }).FitModel(train);
        var bytes = Save(model);
        var loaded = (GradientBoostingRegressionModel)ModelArchive.Load(new MemoryStream(bytes), out _);
        Assert.Equal(bytes, Save(loaded));
        for (var i = 0; i < 1000; i += 13)
            Assert.Equal(BitConverter.DoubleToInt64Bits(model.Predict(train.Features.Row(i))), BitConverter.DoubleToInt64Bits(loaded.Predict(train.Features.Row(i))));
    }

    [Fact]
    public void ClassifierProbabilitiesRankAndAverageLikeTheLabels()
    {
        var r = new CausalRandom(6);
        var n = 4000;
        var x = new double[n * 3];
        var y = new double[n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < 3; j++)
                x[3 * i + j] = r.NextDouble() * 4 - 2;
            var logit = 1.5 * x[3 * i] - x[3 * i + 1] * x[3 * i + 1] + 0.5;
            y[i] = r.NextDouble() < Microsoft.ML.Causal.Numerics.LogisticMath.Sigmoid(logit) ? 1 : 0;
        }
        var data = new TrainingSet(new FeatureMatrix(x, n, 3), y);
        var model = new GradientBoostingClassificationLearner(new GradientBoostingOptions { NumberOfTrees = 150 }).FitModel(data);
        var p = Enumerable.Range(0, n).Select(i => model.PredictProbability(data.Features.Row(i))).ToArray();
        Assert.All(p, v => Assert.InRange(v, 0, 1));
        // Log loss fitted to the training rows: the mean probability matches the share of ones closely.
        Assert.Equal(y.Average(), p.Average(), 2);
        Assert.True(Auc(p, y) > 0.8, $"AUC {Auc(p, y):F3}");
    }

    [Fact]
    public void EarlyStoppingKeepsTheTreesUpToTheBestValidationRound()
    {
        var (train, _, _) = Friedman(2000, seed: 7);
        var options = new GradientBoostingOptions { NumberOfTrees = 2000, LearningRate = 0.3, EarlyStoppingRounds = 10, ValidationFraction = 0.2 };
        var model = new GradientBoostingRegressionLearner(options).FitModel(train);
        Assert.InRange(model.TreeCount, 1, 1999);
    }

    [Fact]
    public void EarlyStoppingOnAValidationSetKeepsTheBestRoundOfThatSet()
    {
        var (train, _, _) = Friedman(1500, seed: 8);
        var (validation, _, _) = Friedman(500, seed: 9);
        var options = new GradientBoostingOptions { NumberOfTrees = 1000, LearningRate = 0.3, EarlyStoppingRounds = 10 };
        var model = new GradientBoostingRegressionLearner(options).FitModel(train, validation);
        Assert.InRange(model.TreeCount, 1, 989);
        // The kept model is the best prefix on the validation set: one more or one fewer round is no better.
        var full = new GradientBoostingRegressionLearner(options with { EarlyStoppingRounds = 0, NumberOfTrees = model.TreeCount + 10 }).FitModel(train);
        double Loss(int trees)
        {
            var sum = 0.0;
            for (var i = 0; i < 500; i++)
            {
                var x = validation.Features.Row(i);
                var p = full.Ensemble.Bias;
                for (var t = 0; t < trees; t++)
                    p += full.Ensemble.Trees[t].Predict(x);
                sum += (p - validation.Labels.Span[i]) * (p - validation.Labels.Span[i]);
            }
            return sum;
        }
        var best = Loss(model.TreeCount);
        Assert.True(best <= Loss(model.TreeCount + 1) && best <= Loss(model.TreeCount - 1 == 0 ? 1 : model.TreeCount - 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new GradientBoostingRegressionLearner(options with { ValidationFraction = 0.2 }).FitModel(train, validation));
    }

    [Fact]
    public void EarlyStoppingTreeFactorKeepsThatMultipleOfTheBestRound()
    {
        var (train, _, _) = Friedman(1500, seed: 8);
        var (validation, _, _) = Friedman(500, seed: 9);
        var options = new GradientBoostingOptions { NumberOfTrees = 1000, LearningRate = 0.3, EarlyStoppingRounds = 10 };
        var optimal = new GradientBoostingRegressionLearner(options).FitModel(train, validation);
        var doubled = new GradientBoostingRegressionLearner(options with { EarlyStoppingTreeFactor = 2 }).FitModel(train, validation);
        Assert.True(doubled.TreeCount % 2 == 0 && doubled.TreeCount >= 2 * optimal.TreeCount, $"{doubled.TreeCount} trees kept, {optimal.TreeCount} at factor 1");
        // The first half of the kept trees is the best prefix on the validation set (the factor-1 answer over the grown rounds).
        var losses = Enumerable.Range(1, doubled.TreeCount).Select(trees => Enumerable.Range(0, 500).Sum(i =>
        {
            var p = doubled.Ensemble.Bias;
            for (var t = 0; t < trees; t++)
                p += doubled.Ensemble.Trees[t].Predict(validation.Features.Row(i));
            return (p - validation.Labels.Span[i]) * (p - validation.Labels.Span[i]);
        })).ToArray();
        Assert.Equal(doubled.TreeCount / 2, Array.IndexOf(losses, losses.Min()) + 1);
        Assert.Throws<ArgumentOutOfRangeException>(() => new GradientBoostingRegressionLearner(options with { EarlyStoppingTreeFactor = 0.5 }).FitModel(train, validation));
    }

    [Fact]
    public void BadInputIsNamed()
    {
        var learner = new GradientBoostingRegressionLearner(Stump with { MinRowsInLeaf = 5 });
        var nan = Assert.Throws<DataValidationException>(() => learner.Fit(new TrainingSet(Column(1, 2, 3, 4, 5, 6), new double[] { 1, 2, double.NaN, 4, 5, 6 })));
        Assert.Equal(2, nan.Row);
        Assert.Equal("Label", nan.ColumnName);
        var weight = Assert.Throws<DataValidationException>(() => learner.Fit(new TrainingSet(Column(1, 2, 3, 4, 5, 6), new double[] { 1, 2, 3, 4, 5, 6 }) { Weights = new double[] { 1, 1, 1, -1, 1, 1 } }));
        Assert.Equal(3, weight.Row);
        var few = Assert.Throws<DataValidationException>(() => learner.Fit(new TrainingSet(Column(1, 2, 3), new double[] { 1, 2, 3 })));
        Assert.Contains("3 rows", few.Message);
        Assert.Contains("5", few.Message);
        var oneClass = Assert.Throws<DataValidationException>(() => new GradientBoostingClassificationLearner(Stump).Fit(new TrainingSet(Column(1, 2, 3), new double[] { 1, 1, 1 })));
        Assert.Contains("both classes", oneClass.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new GradientBoostingRegressionLearner(new GradientBoostingOptions { LearningRate = 0 }).Fit(new TrainingSet(Column(1, 2), new double[] { 1, 2 })));
    }

    /// <summary>Friedman #1 scaled: f = 10 sin(π x1 x2) + 20 (x3 − ½)² + 10 x4 + 5 x5, divided by 3, with noise σ = 0.3.</summary>
    internal static (TrainingSet Data, double[] Truth, double[] Y) Friedman(int n, int seed)
    {
        var r = new CausalRandom(seed);
        const int p = 8;
        var x = new double[n * p];
        var truth = new double[n];
        var y = new double[n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < p; j++)
                x[i * p + j] = r.NextDouble();
            var row = x.AsSpan(i * p, p);
            truth[i] = (10 * Math.Sin(Math.PI * row[0] * row[1]) + 20 * (row[2] - 0.5) * (row[2] - 0.5) + 10 * row[3] + 5 * row[4]) / 3;
            y[i] = truth[i] + 0.3 * Normal(r);
        }
        return (new TrainingSet(new FeatureMatrix(x, n, p), y), truth, y);
    }

    internal static double Normal(CausalRandom r) => Math.Sqrt(-2 * Math.Log(1 - r.NextDouble())) * Math.Cos(2 * Math.PI * r.NextDouble());

    internal static double Auc(double[] scores, double[] labels)
    {
        var order = Enumerable.Range(0, scores.Length).OrderBy(i => scores[i]).ToArray();
        double rankSum = 0, positives = labels.Sum();
        for (var k = 0; k < order.Length; k++)
        {
            if (labels[order[k]] == 1)
                rankSum += k + 1;
        }
        var negatives = labels.Length - positives;
        return (rankSum - positives * (positives + 1) / 2) / (positives * negatives);
    }

    private static byte[] Save(ISavableModel model)
    {
        using var s = new MemoryStream();
        ModelArchive.Save(model, Microsoft.ML.Causal.Data.DataSchema.Empty, s, seed: 1);
        return s.ToArray();
    }
}
