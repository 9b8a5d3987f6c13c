using Microsoft.ML.Causal.Forests;
using Microsoft.ML.Causal.Inference;
using Microsoft.ML.Causal.Learners;
using Microsoft.ML.Causal.Numerics;
using Microsoft.ML.Causal.Persistence;
using Microsoft.ML.Causal.Simulation;
using Microsoft.ML.Causal.Trainers;

namespace Microsoft.ML.Causal.Tests.Forests;

/// <summary>The analysis tools on fitted forests: calibration test, debiased error, best linear projection (HC3), variable importance.</summary>
public class CausalForestAnalysisTests
{
    private static CausalForestModel Fit(CateData data, int trees = 200, int seed = 4) =>
        (CausalForestModel)new CausalForest(new CausalForestOptions { Forest = new ForestOptions { NumberOfTrees = trees } }).Fit(data, new FitContext { Seed = seed });

    /// <summary>A trial (e = ½), X ~ U[0, 1]^p, Y = x₂ + W·τ(x) + N(0, 1).</summary>
    private static CateData Trial(int n, int p, Func<double[], double> tau, int seed)
    {
        var random = new CausalRandom(seed);
        var x = new double[n * p];
        var y = new double[n];
        var w = new double[n];
        var row = new double[p];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < p; j++)
                row[j] = x[i * p + j] = random.NextDouble();
            w[i] = random.NextDouble() < 0.5 ? 1 : 0;
            y[i] = row[1] + w[i] * tau(row) + random.NextGaussian();
        }
        return new CateData(new FeatureMatrix(x, n, p), y, TreatmentAssignment.FromValues(w, 0, "W")) { OutcomeColumnName = "Y" };
    }

    [Fact]
    public void OnAHeterogeneousDesignTheMeanPredictionIsCalibratedAndHeterogeneityIsDetected()
    {
        var data = CausalSimulations.WagerAtheyHeterogeneous(2000, 3, seed: 91).ToCateData();
        var test = CausalForestAnalysis.TestCalibration(Fit(data), data);
        var mean = test.MeanForestPrediction;
        Assert.Equal("MeanForestPrediction", mean.Name);
        Assert.True(mean.StandardError > 0);
        Assert.InRange(1.0, mean.Estimate - 4 * mean.StandardError, mean.Estimate + 4 * mean.StandardError);
        // τ ranges over [1, 4]: the differential prediction must be clearly positive (one-sided test).
        Assert.True(test.DifferentialForestPrediction.Estimate > 0);
        Assert.InRange(test.DifferentialForestPrediction.PValue, 0, 0.01);
        Assert.InRange(mean.PValue, 0, 1e-6);
    }

    [Fact]
    public void WhenTauIsLinearInX1TheProjectionRecoversTheSlopeWithinFourHc3StandardErrors()
    {
        var data = Trial(2000, 4, x => 1 + 2 * x[0], seed: 93);
        var model = Fit(data);
        var blp = CausalForestAnalysis.BestLinearProjection(model, data, [0]);
        Assert.Equal("1", blp.Effect);
        Assert.Equal(["(Intercept)", data.Features.ColumnNames[0]], blp.Coefficients.Select(c => c.Name).ToArray());
        var (intercept, slope) = (blp.Coefficients[0], blp.Coefficients[1]);
        Assert.InRange(2.0, slope.Estimate - 4 * slope.StandardError, slope.Estimate + 4 * slope.StandardError);
        Assert.InRange(1.0, intercept.Estimate - 4 * intercept.StandardError, intercept.Estimate + 4 * intercept.StandardError);
        Assert.True(slope.PValue < 0.01);

        // No covariates: the intercept is the mean DR score, i.e. the model's AIPW ATE, and its HC3 variance
        // Σe²/(n − 1)² is the ATE's C/(C − 1)·Σe²/n² times n/(n − 1).
        var ate = model.AverageEffects.Single(e => e.Estimand == Estimand.Ate);
        var only = CausalForestAnalysis.BestLinearProjection(model, data).Coefficients.Single();
        Assert.Equal(ate.Estimate, only.Estimate, 1e-10);
        Assert.Equal(ate.StandardError * Math.Sqrt(2000.0 / 1999), only.StandardError, 1e-10);
    }

    [Fact]
    public void TheMultiArmProjectionGivesOneProjectionPerArm()
    {
        var (data, _, _) = MultiArmCausalForestTests.ThreeArmTrial(2000, seed: 95);
        var model = (MultiArmCausalForestModel)new MultiArmCausalForest(new MultiArmCausalForestOptions { Forest = new ForestOptions { NumberOfTrees = 100 } })
            .Fit(data, new FitContext { Seed = 6 });
        var blp = CausalForestAnalysis.BestLinearProjection(model, data, [0, 2]);
        Assert.Equal(["a", "b"], blp.Select(b => b.Effect).ToArray());
        // τ_a = 2x₁ (slopes 2 on x₁, 0 on x₃); τ_b = 1 − 2x₃ (slopes 0 and −2).
        double[][] truth = [[0, 2, 0], [1, 0, -2]];
        for (var k = 0; k < 2; k++)
        {
            for (var c = 0; c < 3; c++)
            {
                var coefficient = blp[k].Coefficients[c];
                Assert.InRange(truth[k][c], coefficient.Estimate - 4 * coefficient.StandardError, coefficient.Estimate + 4 * coefficient.StandardError);
            }
        }
        var averages = model.AverageEffects.Where(e => e.Estimand == Estimand.Ate).ToArray();
        var intercepts = CausalForestAnalysis.BestLinearProjection(model, data);
        for (var k = 0; k < 2; k++)
            Assert.Equal(averages[k].Estimate, intercepts[k].Coefficients[0].Estimate, 1e-10);
    }

    [Fact]
    public void VariableImportanceRanksTheHeterogeneityVariablesFirst()
    {
        // Wager–Athey's ς with one heterogeneity variable: τ = ς(x₁), ς(u) = 1 + 1/(1 + e^{−20(u − 1/3)}), six features.
        var one = Trial(2000, 6, x => 1 + 1 / (1 + Math.Exp(-20 * (x[0] - 1.0 / 3))), seed: 97);
        var importance = CausalForestAnalysis.VariableImportance(Fit(one, trees: 100));
        Assert.Equal(6, importance.Length);
        Assert.Equal(1.0, importance.Sum(), 1e-12);
        Assert.Equal(0, Array.IndexOf(importance, importance.Max()));

        // Wager–Athey design 2 (τ = ς(x₁)ς(x₂)): x₁ and x₂ are the two most important of six.
        var two = CausalSimulations.WagerAtheyHeterogeneous(2000, 6, seed: 98).ToCateData();
        var ranked = CausalForestAnalysis.VariableImportance(Fit(two, trees: 100)).Select((v, j) => (v, j)).OrderByDescending(t => t.v).Select(t => t.j).Take(2).Order();
        Assert.Equal([0, 1], ranked.ToArray());
    }

    [Fact]
    public void DataThatAreNotTheFittedOnesOrBadArgumentsGetClearErrors()
    {
        var data = Trial(300, 3, x => x[0], seed: 99);
        var model = Fit(data, trees: 20);
        var other = Trial(200, 3, x => x[0], seed: 100);
        Assert.Contains("Pass the data the forest was fitted on", Assert.Throws<ArgumentException>(() => CausalForestAnalysis.TestCalibration(model, other)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => CausalForestAnalysis.BestLinearProjection(model, data, [3]));
        Assert.Contains("collinear", Assert.Throws<ArgumentException>(() => CausalForestAnalysis.BestLinearProjection(model, data, [0, 0])).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => CausalForestAnalysis.VariableImportance(model, maxDepth: 0));
    }

    [Fact]
    public void TheCatalogRunsTheAnalysesOnAFittedPipelineByCovariateName()
    {
        var ctx = new CausalContext(5);
        var train = CausalSimulations.NieWagerB(500, 5, seed: 51).ToDataView();
        var columns = new CateColumns("Y", "W");
        var pipeline = ctx.Transforms.Featurize("Features", "x1", "x2", "x3", "x4", "x5")
            .Append(ctx.Cate.Trainers.CausalForest(new CausalForestOptions { Forest = new ForestOptions { NumberOfTrees = 40 }, NuisanceTrees = 20 }, columns));
        var fitted = pipeline.Fit(train);
        var scored = fitted.Transform(train);
        var model = (CausalForestModel)fitted.LastTransformer.Model;
        var data = CateColumnReader.Read(scored, "test", columns);
        Assert.Equal(CausalForestAnalysis.TestCalibration(model, data), ctx.Cate.TestCalibration(fitted.LastTransformer, scored, columns));
        Assert.Equal(CausalForestAnalysis.DebiasedError(model, data), ctx.Cate.DebiasedError(fitted.LastTransformer, scored, columns));
        var byName = ctx.Cate.BestLinearProjection(fitted.LastTransformer, scored, columns, ["x2"]).Single();
        var byIndex = CausalForestAnalysis.BestLinearProjection(model, data, [1]);
        Assert.Equal(byIndex.Coefficients.ToArray(), byName.Coefficients.ToArray());
        Assert.Equal("x2", byName.Coefficients[1].Name);
        Assert.Contains("x1, x2", Assert.Throws<ArgumentException>(() => ctx.Cate.BestLinearProjection(fitted.LastTransformer, scored, columns, ["age"])).Message);

        var dr = ctx.Transforms.Featurize("Features", "x1", "x2", "x3", "x4", "x5").Append(ctx.Cate.Trainers.TLearner("Y", "W", bootstrapReplicates: 0)).Fit(train);
        Assert.Contains("causal forest", Assert.Throws<ArgumentException>(() => ctx.Cate.TestCalibration(dr.LastTransformer, scored, columns)).Message);
        Assert.Contains("causal forest", Assert.Throws<ArgumentException>(() => ctx.Cate.DebiasedError(dr.LastTransformer, scored, columns)).Message);
    }

    [Fact]
    public void TheCalibrationTestTakesAContinuousTreatment()
    {
        // W = x₂ + N(0, 1), Y = x₁ + (1 + x₁)·W + N(0, 1): the mean effect of a unit of W is 1.5.
        const int n = 1500, p = 3;
        var random = new CausalRandom(57);
        var x = new double[n * p];
        var y = new double[n];
        var w = new double[n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < p; j++)
                x[i * p + j] = random.NextDouble();
            w[i] = x[i * p + 1] + random.NextGaussian();
            y[i] = x[i * p] + (1 + x[i * p]) * w[i] + random.NextGaussian();
        }
        var data = new CateData(new FeatureMatrix(x, n, p), y, TreatmentAssignment.Continuous(w, "Dose")) { OutcomeColumnName = "Y" };
        var model = Fit(data, trees: 100);
        var mean = CausalForestAnalysis.TestCalibration(model, data).MeanForestPrediction;
        Assert.InRange(1.0, mean.Estimate - 4 * mean.StandardError, mean.Estimate + 4 * mean.StandardError);
        Assert.Throws<ArgumentException>(() => CausalForestAnalysis.BestLinearProjection(model, data));
    }

    [Fact]
    public void AVersionOnePayloadWithoutMonteCarloVariancesLoadsScoresTheSameAndSaysWhyItHasNoDebiasedError()
    {
        var data = CausalSimulations.WagerAtheyHeterogeneous(300, 3, seed: 95).ToCateData();
        var model = Fit(data, 20);
        byte[] Payload(Action<IModelWriter> save)
        {
            var writer = new ComponentPayloadWriter(new ModelArchiveWriter());
            save(writer);
            return writer.ToArray();
        }
        // Version 2 = header, fallback τ̂ (a double), the Monte-Carlo variances (a length and n doubles), the shared payload;
        // version 1 is the same without the variances.
        var v2 = Payload(model.Save);
        var at = Payload(model.Header.Save).Length + sizeof(double);
        var n = BitConverter.ToInt32(v2, at);
        Assert.Equal(model.TrainingRowCount, n);
        byte[] v1 = [.. v2[..at], .. v2[(at + sizeof(int) + n * sizeof(double))..]];

        var old = CausalForestModel.Load(new ComponentPayloadReader(null!, 0, v1, 1));
        Assert.True(old.OutOfBagMonteCarloVariance.IsEmpty);
        Assert.Equal(model.OutOfBagCate.ToArray(), old.OutOfBagCate.ToArray());
        for (var i = 0; i < 20; i++)
            Assert.Equal(model.PredictVariance(data.Features.Row(i)), old.PredictVariance(data.Features.Row(i)));
        Assert.Contains("Refit the forest", Assert.Throws<InvalidOperationException>(() => CausalForestAnalysis.DebiasedError(old, data)).Message);

        // The same bytes read as version 2 are corrupt, and say so.
        Assert.ThrowsAny<ModelFileException>(() => CausalForestModel.Load(new ComponentPayloadReader(null!, 0, v1, 2)));
        var current = CausalForestModel.Load(new ComponentPayloadReader(null!, 0, v2, 2));
        Assert.Equal(model.OutOfBagMonteCarloVariance.ToArray(), current.OutOfBagMonteCarloVariance.ToArray());
    }

    [Fact]
    public void TheDebiasedErrorRemovesAnExcessThatShrinksLikeOneOverTreesFromAMonteCarloVarianceThatMatchesTheSpreadAcrossSeeds()
    {
        var data = CausalSimulations.WagerAtheyHeterogeneous(800, 3, seed: 93).ToCateData();
        // The nuisances fixed across fits, so that the forests differ only by their own random draws.
        var first = Fit(data, 50);
        var options = new CausalForestOptions { OutcomeEstimates = first.OutcomeEstimates.ToArray(), TreatmentEstimates = first.TreatmentEstimates.ToArray() };
        CausalForestModel Grow(int trees, int seed) =>
            (CausalForestModel)new CausalForest(options with { Forest = new ForestOptions { NumberOfTrees = trees } }).Fit(data, new FitContext { Seed = seed });
        var small = CausalForestAnalysis.DebiasedError(Grow(50, 1), data);
        var large = CausalForestAnalysis.DebiasedError(Grow(800, 1), data);
        foreach (var e in new[] { small, large })
        {
            Assert.True(e.ExcessError > 0 && e.DebiasedError < e.RawError, $"{e}");
            Assert.Equal(e.RawError - e.ExcessError, e.DebiasedError);
        }
        // Monte-Carlo variance ∝ 1/groups: 16 times the trees, about a 16th of the excess.
        var ratio = small.ExcessError / large.ExcessError;
        Assert.InRange(ratio, 10, 25);

        // The estimated Monte-Carlo variance matches the spread of the out-of-bag τ̂ over forests grown with other seeds.
        const int seeds = 12;
        var n = data.Features.RowCount;
        var forests = Enumerable.Range(1, seeds).Select(seed => Grow(100, seed)).ToArray();
        double empirical = 0, estimated = 0;
        for (var r = 0; r < n; r++)
        {
            var values = forests.Select(f => f.OutOfBagCate.Span[r]).ToArray();
            var mean = values.Average();
            empirical += values.Sum(v => (v - mean) * (v - mean)) / (seeds - 1);
            estimated += forests.Average(f => f.OutOfBagMonteCarloVariance.Span[r]);
        }
        // (0.95 here: the variance across 12 forests of 100 trees against the mean of their estimates.)
        Assert.InRange(estimated / empirical, 0.75, 1.33);

        // Groups of one tree (no V̂) still give the excess: the trees are then the independent units.
        var single = (CausalForestModel)new CausalForest(options with { Forest = new ForestOptions { NumberOfTrees = 100, CiGroupSize = 1 } }).Fit(data, new FitContext { Seed = 1 });
        Assert.False(single.HasVariance);
        Assert.True(CausalForestAnalysis.DebiasedError(single, data).ExcessError > 0);
        var compacted = (CausalForestModel)single.Compact();
        Assert.Contains("compacted", Assert.Throws<InvalidOperationException>(() => CausalForestAnalysis.DebiasedError(compacted, data)).Message);
    }
}
