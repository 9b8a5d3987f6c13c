using Microsoft.ML.Causal.Data;
using Microsoft.ML.Causal.Forests;
using Microsoft.ML.Causal.Learners;
using Microsoft.ML.Causal.Persistence;
using Microsoft.ML.Causal.Simulation;

namespace Microsoft.ML.Causal.Tests.Forests;

public class RegressionForestTests
{
    private static readonly ForestOptions OneTree = new()
    {
        NumberOfTrees = 1, CiGroupSize = 1, SampleFraction = 1, Honesty = false, PoissonFeatureDraws = false, MinNodeSize = 5,
    };

    [Fact]
    public void OneTreeWithoutHonestyChoosesTheBruteForceRootSplitAndStoresExactLeafMeans()
    {
        var (x, y, _, weights) = ForestTestData.Small(40, 2, seed: 3);
        var model = new RegressionForest(OneTree).FitModel(new TrainingSet(x, y) { Weights = weights }, default, new FitContext { Seed = 1 });
        var tree = model.Forest.Trees[0];
        var n = x.RowCount;
        var minChild = Math.Max(Math.Ceiling(0.05 * n), 1);
        double total = weights.Select((w, i) => w * y[i]).Sum(), totalWeight = weights.Sum();
        var (feature, left, gain) = ForestTestData.BruteForce(x, side =>
        {
            double nl = side.Count(s => s), nr = n - nl;
            if (nl < minChild || nr < minChild)
                return double.NegativeInfinity;
            var sl = ForestTestData.Sum(side, true, i => weights[i] * y[i]);
            var wl = ForestTestData.Sum(side, true, i => weights[i]);
            return sl * sl / wl + (total - sl) * (total - sl) / (totalWeight - wl) - total * total / totalWeight;
        });
        var root = tree.Structure;
        Assert.Equal(feature, root.Feature[0]);
        Assert.Equal(gain, root.Gain[0], 1e-9 * gain);
        var engineLeft = Enumerable.Range(0, n).Where(i => x[i, root.Feature[0]] <= root.Threshold[0]).ToHashSet();
        Assert.True(left.SetEquals(engineLeft));

        // Every leaf's statistics are Σw·Y/|L| and Σw/|L| of the rows that fall in it.
        for (var k = 0; k < tree.LeafCount; k++)
        {
            var members = Enumerable.Range(0, n).Where(i => tree.LeafOf(x.Row(i)) == k).ToArray();
            Assert.NotEmpty(members);
            Assert.Equal(members.Length, tree.Structure.LeafValues[k]);
            Assert.Equal(members.Sum(i => weights[i] * y[i]) / members.Length, tree.Stats(k)[0], 1e-12);
            Assert.Equal(members.Sum(i => weights[i]) / members.Length, tree.Stats(k)[1], 1e-12);
        }
    }

    [Fact]
    public void OutOfBagAndTestPredictionsTrackTheMeanAndDoNotDependOnThreads()
    {
        var sim = CausalSimulations.NieWagerA(1500, 6, seed: 4);
        var test = CausalSimulations.NieWagerA(300, 6, seed: 5);
        var data = new TrainingSet(sim.ToFeatureMatrix(), sim.Outcome.ToArray());
        var options = new ForestOptions { NumberOfTrees = 100, CiGroupSize = 1 };
        var one = new RegressionForest(options).FitModel(data, default, new FitContext { Seed = 2, MaxDegreeOfParallelism = 1 });
        var two = new RegressionForest(options).FitModel(data, default, new FitContext { Seed = 2, MaxDegreeOfParallelism = 2 });
        Assert.Equal(one.OutOfBagPredictions.ToArray(), two.OutOfBagPredictions.ToArray());
        var tx = test.ToFeatureMatrix();
        double mse = 0, variance = 0, mean = test.Baseline.Average();
        for (var i = 0; i < 300; i++)
        {
            Assert.Equal(one.Predict(tx.Row(i)), two.Predict(tx.Row(i)));
            mse += Math.Pow(one.Predict(tx.Row(i)) - test.Baseline[i], 2);
            variance += Math.Pow(test.Baseline[i] - mean, 2);
        }
        Assert.True(mse < 0.5 * variance, $"test MSE {mse / 300:F3} against the baseline's variance {variance / 300:F3}");
        // Out-of-bag predictions are honest: their error is comparable to the test error, not near zero.
        var oob = one.OutOfBagPredictions.ToArray();
        var oobMse = Enumerable.Range(0, 1500).Average(i => Math.Pow(oob[i] - sim.Outcome[i], 2));
        Assert.True(oobMse > 0.8, $"out-of-bag MSE {oobMse:F3} should include the unit noise variance");
    }

    [Fact]
    public void SaveAndLoadGiveIdenticalPredictions()
    {
        var (x, y, _, weights) = ForestTestData.Small(200, 3, seed: 7);
        var model = new RegressionForest(new ForestOptions { NumberOfTrees = 20 }).FitModel(new TrainingSet(x, y) { Weights = weights });
        using var stream = new MemoryStream();
        ModelArchive.Save(model, DataSchema.Empty, stream, 1);
        var loaded = (RegressionForestModel)ModelArchive.Load(new MemoryStream(stream.ToArray()), out _);
        for (var i = 0; i < 200; i++)
            Assert.Equal(model.Predict(x.Row(i)), loaded.Predict(x.Row(i)));
        Assert.Equal(model.OutOfBagPredictions.ToArray(), loaded.OutOfBagPredictions.ToArray());
    }

    [Fact]
    public void ProbabilityForestGivesProbabilities()
    {
        var sim = CausalSimulations.WagerAtheyConfounded(800, 2, seed: 8);
        var model = new ProbabilityForest(new ForestOptions { NumberOfTrees = 50, CiGroupSize = 1 }).FitModel(new TrainingSet(sim.ToFeatureMatrix(), sim.Treatment.ToArray()));
        var oob = model.OutOfBagProbabilities.ToArray();
        var error = Enumerable.Range(0, 800).Average(i => Math.Abs(oob[i] - sim.Propensity[i]));
        Assert.True(error < 0.12, $"mean absolute error of ê {error:F3}");
        Assert.InRange(model.PredictProbability([0.2, 0.5]), 0, 1);
    }
}
