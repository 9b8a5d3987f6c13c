using Microsoft.ML.Causal.Data;
using Microsoft.ML.Causal.Forests;
using Microsoft.ML.Causal.Learners;
using Microsoft.ML.Causal.Persistence;
using Microsoft.ML.Causal.Simulation;
using Microsoft.ML.Causal.Trainers;

namespace Microsoft.ML.Causal.Tests.Forests;

/// <summary>What must not change a causal forest: the scale of the weights, a duplicated NaN pattern, the thread count, a save and load.</summary>
public class CausalForestInvarianceTests
{
    private static readonly CausalForestOptions Small = new() { Forest = new ForestOptions { NumberOfTrees = 100 }, NuisanceTrees = 50 };

    private static double[] Predictions(CausalForestModel model, FeatureMatrix x, bool variance = false)
    {
        var tau = new double[x.RowCount];
        var v = new double[x.RowCount];
        model.Predict(x, tau, variance ? v : default);
        return variance ? [.. tau, .. v] : tau;
    }

    [Fact]
    public void RescalingAllWeightsChangesNothing()
    {
        var sim = CausalSimulations.NieWagerA(600, 6, seed: 31);
        var random = new Microsoft.ML.Causal.Numerics.CausalRandom(2);
        var weights = Enumerable.Range(0, 600).Select(_ => 0.5 + random.NextDouble()).ToArray();
        var data = sim.ToCateData() with { Weights = weights };
        var context = new FitContext { Seed = 4 };
        var baseModel = (CausalForestModel)new CausalForest(Small).Fit(data, context);
        var x = sim.ToFeatureMatrix();
        var expected = Predictions(baseModel, x, variance: true);
        // A power of two scales every sum exactly, so the forest is bit-identical.
        var four = (CausalForestModel)new CausalForest(Small).Fit(data with { Weights = weights.Select(w => 4 * w).ToArray() }, context);
        Assert.Equal(expected, Predictions(four, x, variance: true));
        // Any other factor changes only the last digits.
        var other = (CausalForestModel)new CausalForest(Small).Fit(data with { Weights = weights.Select(w => 0.37 * w).ToArray() }, context);
        var actual = Predictions(other, x, variance: true);
        for (var i = 0; i < expected.Length; i++)
            Assert.Equal(expected[i], actual[i], 1e-9 * (1 + Math.Abs(expected[i])));
    }

    [Fact]
    public void ADuplicatedNaNPatternLeavesTheSplitsOnOtherFeaturesAlone()
    {
        // Feature 0 has missing values; the second fit adds a copy of it (same values, same NaN pattern). Every
        // feature is tried at every node, so the copy can only tie with the original: the partitions, the splits
        // on the other features and the predictions stay the same.
        const int n = 400;
        var (x, y, w, _) = ForestTestData.Small(n, 3, seed: 41);
        var values = new double[n * 3];
        var duplicated = new double[n * 4];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < 3; j++)
                values[i * 3 + j] = i % 7 == 0 && j == 0 ? double.NaN : x[i, j];
            values.AsSpan(i * 3, 3).CopyTo(duplicated.AsSpan(i * 4, 3));
            duplicated[i * 4 + 3] = values[i * 3];
        }
        var options = new CausalForestOptions
        {
            Forest = new ForestOptions { NumberOfTrees = 1, CiGroupSize = 1, SampleFraction = 1, PoissonFeatureDraws = false },
            OutcomeEstimates = new double[n], TreatmentEstimates = Enumerable.Repeat(0.5, n).ToArray(), BootstrapReplicates = 0,
        };
        CausalForestModel Fit(double[] features, int p) =>
            (CausalForestModel)new CausalForest(options).Fit(new CateData(new FeatureMatrix(features, n, p), y, TreatmentAssignment.FromValues(w)), new FitContext { Seed = 6 });
        var plain = Fit(values, 3).Forest.Trees[0].Structure;
        var copy = Fit(duplicated, 4).Forest.Trees[0].Structure;
        Assert.Contains(double.NaN, values);
        Assert.Equal(plain.NodeCount, copy.NodeCount);
        var others = Enumerable.Range(0, plain.NodeCount).Where(k => plain.Feature[k] != 0).Select(k => (plain.Feature[k], plain.Threshold[k])).Order();
        var copyOthers = Enumerable.Range(0, copy.NodeCount).Where(k => copy.Feature[k] is not 0 and not 3).Select(k => (copy.Feature[k], copy.Threshold[k])).Order();
        Assert.Equal(others, copyOthers);
        for (var i = 0; i < n; i++)
            Assert.Equal(plain.LeafOf(values.AsSpan(i * 3, 3)) >= 0, copy.LeafOf(duplicated.AsSpan(i * 4, 4)) >= 0);
        var left = Enumerable.Range(0, n).GroupBy(i => plain.LeafOf(values.AsSpan(i * 3, 3))).Select(g => string.Join(",", g)).Order();
        var right = Enumerable.Range(0, n).GroupBy(i => copy.LeafOf(duplicated.AsSpan(i * 4, 4))).Select(g => string.Join(",", g)).Order();
        Assert.Equal(left, right);
    }

    [Fact]
    public void TheSameSeedGivesTheSameForestOnOneAndTwoThreads()
    {
        var sim = CausalSimulations.NieWagerB(800, 5, seed: 51);
        var data = sim.ToCateData() with { Clusters = Enumerable.Range(0, 800).Select(i => i / 4).ToArray() };
        var one = (CausalForestModel)new CausalForest(Small).Fit(data, new FitContext { Seed = 8, MaxDegreeOfParallelism = 1 });
        var two = (CausalForestModel)new CausalForest(Small).Fit(data, new FitContext { Seed = 8, MaxDegreeOfParallelism = 2 });
        var x = sim.ToFeatureMatrix();
        Assert.Equal(Predictions(one, x, variance: true), Predictions(two, x, variance: true));
        Assert.Equal(one.OutOfBagCate.ToArray(), two.OutOfBagCate.ToArray());
        Assert.Equal(one.OutOfBagVariance.ToArray(), two.OutOfBagVariance.ToArray());
        Assert.Equal(one.OutcomeEstimates.ToArray(), two.OutcomeEstimates.ToArray());
        // Another seed gives another forest.
        var other = (CausalForestModel)new CausalForest(Small).Fit(data, new FitContext { Seed = 9 });
        Assert.NotEqual(Predictions(one, x), Predictions(other, x));
    }

    [Fact]
    public void SaveAndLoadGiveIdenticalPredictionsIntervalsAndKernelWeights()
    {
        var sim = CausalSimulations.WagerAtheyHeterogeneous(500, 3, seed: 61);
        var options = Small with { Forest = Small.Forest with { KeepLeafSamples = true } };
        var model = (CausalForestModel)new CausalForest(options).Fit(sim.ToCateData(), new FitContext { Seed = 1 });
        using var stream = new MemoryStream();
        ModelArchive.Save(model, DataSchema.Empty, stream, 1);
        var loaded = (CausalForestModel)ModelArchive.Load(new MemoryStream(stream.ToArray()), out _);
        var x = sim.ToFeatureMatrix();
        Assert.Equal(Predictions(model, x, variance: true), Predictions(loaded, x, variance: true));
        Assert.Equal(model.OutOfBagCate.ToArray(), loaded.OutOfBagCate.ToArray());
        Assert.Equal(model.OutOfBagMonteCarloVariance.ToArray(), loaded.OutOfBagMonteCarloVariance.ToArray());
        Assert.True(model.OutOfBagMonteCarloVariance.Span[0] > 0);
        Assert.Equal(model.AverageEffects.ToArray(), loaded.AverageEffects.ToArray());
        Span<double> lo1 = stackalloc double[1], hi1 = stackalloc double[1], lo2 = stackalloc double[1], hi2 = stackalloc double[1];
        model.PredictInterval(x.Row(3), 0.9, lo1, hi1);
        loaded.PredictInterval(x.Row(3), 0.9, lo2, hi2);
        Assert.Equal((lo1[0], hi1[0]), (lo2[0], hi2[0]));
        Assert.True(lo1[0] < model.PredictCate(x.Row(3)) && model.PredictCate(x.Row(3)) < hi1[0]);
        var (rows, weights) = model.ForestWeights(x.Row(3));
        Assert.Equal(1, weights.Sum(), 1e-12);
        var (loadedRows, loadedWeights) = loaded.ForestWeights(x.Row(3));
        Assert.Equal(rows, loadedRows);
        Assert.Equal(weights, loadedWeights);
        using var again = new MemoryStream();
        ModelArchive.Save(loaded, DataSchema.Empty, again, 1);
        Assert.Equal(stream.ToArray(), again.ToArray());
    }
    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void TheBatchPredictionEqualsTheSingleRowOneBitForBit(int groupSize)
    {
        // 700 rows: two full blocks and a partial one; some features missing, some rows far outside the data.
        var sim = CausalSimulations.WagerAtheyHeterogeneous(500, 3, seed: 71);
        var options = Small with { Forest = Small.Forest with { NumberOfTrees = 99, CiGroupSize = groupSize } };
        var model = (CausalForestModel)new CausalForest(options).Fit(sim.ToCateData(), new FitContext { Seed = 2 });
        var random = new Microsoft.ML.Causal.Numerics.CausalRandom(5);
        const int n = 700;
        var values = new double[n * 3];
        for (var i = 0; i < values.Length; i++)
            values[i] = i % 11 == 0 ? double.NaN : (i % 97 == 0 ? 50 : 1) * random.NextDouble();
        var x = new FeatureMatrix(values, n, 3);
        var tau = new double[n];
        var variance = new double[n];
        model.Predict(x, tau, variance);
        var tauOnly = new double[n];
        model.Predict(x, tauOnly);
        Assert.Equal(tau, tauOnly);
        for (var i = 0; i < n; i++)
        {
            Assert.Equal(model.PredictCate(x.Row(i)), tau[i]);
            Assert.Equal(model.PredictVariance(x.Row(i)), variance[i]);
        }
        Assert.True(variance.Count(v => v > 0) > n / 2);
    }
}
