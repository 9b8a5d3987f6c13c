using Microsoft.ML.Causal.Data;
using Microsoft.ML.Causal.Forests;
using Microsoft.ML.Causal.Inference;
using Microsoft.ML.Causal.Learners;
using Microsoft.ML.Causal.Numerics;
using Microsoft.ML.Causal.Simulation;
using Microsoft.ML.Causal.TestFramework;
using Microsoft.ML.Causal.Tests.Trainers;
using Microsoft.ML.Causal.Trainers;

namespace Microsoft.ML.Causal.Tests.Forests;

/// <summary>The multi-arm causal forest: accuracy on a 3-arm trial with known effects, agreement with the binary forest for two arms, pipeline and CLI.</summary>
public class MultiArmCausalForestTests
{
    /// <summary>
    /// A 3-arm RCT (arms "a", "b" against control "c", each with probability 1/3), X ~ U[0, 1]⁴,
    /// Y = x₂ + τ_W(x) + N(0, 0.5²) with τ_a(x) = 2x₁ (ATE 1) and τ_b(x) = 1 − 2x₃ (ATE 0).
    /// </summary>
    internal static (CateData Data, double[] TauA, double[] TauB) ThreeArmTrial(int n, int seed)
    {
        const int p = 4;
        var random = new CausalRandom(seed);
        var x = new double[n * p];
        var y = new double[n];
        var arm = new int[n];
        double[] tauA = new double[n], tauB = new double[n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < p; j++)
                x[i * p + j] = random.NextDouble();
            arm[i] = random.NextInt(3);
            tauA[i] = 2 * x[i * p];
            tauB[i] = 1 - 2 * x[i * p + 2];
            y[i] = x[i * p + 1] + (arm[i] == 0 ? tauA[i] : arm[i] == 1 ? tauB[i] : 0) + 0.5 * random.NextGaussian();
        }
        var treatment = TreatmentAssignment.Discrete(arm, ["a", "b", "c"], control: 2, columnName: "Arm");
        return (new CateData(new FeatureMatrix(x, n, p), y, treatment) { OutcomeColumnName = "Y" }, tauA, tauB);
    }

    [Fact]
    public void OnAThreeArmTrialEachArmsAteIsWithinFourStandardErrorsAndTheCateBeatsTheBestConstant()
    {
        var (train, _, _) = ThreeArmTrial(3000, seed: 41);
        var model = (MultiArmCausalForestModel)new MultiArmCausalForest(new MultiArmCausalForestOptions { Forest = new ForestOptions { NumberOfTrees = 200 } })
            .Fit(train, new FitContext { Seed = 5 });
        Assert.Equal(["a", "b"], model.EffectNames.ToArray());
        Assert.Equal("c", model.ControlArm);
        Assert.True(model.HasVariance);
        var truth = new Dictionary<string, double> { ["a"] = 1, ["b"] = 0 };
        foreach (var arm in new[] { "a", "b" })
        {
            var ate = model.AverageEffects.Single(e => e.Estimand == Estimand.Ate && e.Arm == arm);
            Assert.True(ate.StandardError > 0);
            Assert.InRange(ate.Estimate, truth[arm] - 4 * ate.StandardError, truth[arm] + 4 * ate.StandardError);
        }

        // Held-out accuracy: each arm's RMSE must be under half the SD of its τ (the RMSE of the best constant).
        var (test, tauA, tauB) = ThreeArmTrial(1000, seed: 42);
        var cate = new double[2];
        var variance = new double[2];
        double seA = 0, seB = 0;
        for (var i = 0; i < test.Features.RowCount; i++)
        {
            model.PredictCate(test.Features.Row(i), cate);
            model.PredictVariance(test.Features.Row(i), variance);
            Assert.True(variance[0] > 0 && variance[1] > 0 && double.IsFinite(variance[0]) && double.IsFinite(variance[1]));
            seA += (cate[0] - tauA[i]) * (cate[0] - tauA[i]);
            seB += (cate[1] - tauB[i]) * (cate[1] - tauB[i]);
        }
        var sd = 2 / Math.Sqrt(12); // both τ are 2·U[0, 1] up to sign and shift
        Assert.InRange(Math.Sqrt(seA / 1000), 0, 0.5 * sd);
        Assert.InRange(Math.Sqrt(seB / 1000), 0, 0.5 * sd);
        Assert.Equal(3000 * 2, model.OutOfBagCate.Length);
        Assert.True(model.OutOfBagVariance.ToArray().All(v => v >= 0 && double.IsFinite(v)));
    }

    /// <summary>
    /// With two arms the multi-arm forest does the binary forest's arithmetic: the same nuisance seeds and forests,
    /// bit-identical relabeling (ā·A⁻¹ = 1 exactly for K = 1), split rule and leaf statistics, hence the same trees.
    /// Only the final 1 × 1 solve differs (c/√A/√A against c/A: a few ulps), and what is computed from τ̂ (the
    /// little-bags terms, the AIPW scores) inherits that, so agreement to 1e-9 relative is a wide margin over
    /// rounding while any difference in a split would move τ̂ by far more.
    /// </summary>
    [Fact]
    public void WithTwoArmsItAgreesWithTheBinaryCausalForestToRounding()
    {
        var sim = CausalSimulations.WagerAtheyHeterogeneous(800, 3, seed: 61);
        var data = sim.ToCateData();
        var forest = new ForestOptions { NumberOfTrees = 60 };
        var binary = (CausalForestModel)new CausalForest(new CausalForestOptions { Forest = forest }).Fit(data, new FitContext { Seed = 9 });
        var multi = (MultiArmCausalForestModel)new MultiArmCausalForest(new MultiArmCausalForestOptions { Forest = forest }).Fit(data, new FitContext { Seed = 9 });
        static void Close(double expected, double actual) => Assert.InRange(actual, expected - 1e-9 * Math.Max(1, Math.Abs(expected)), expected + 1e-9 * Math.Max(1, Math.Abs(expected)));
        var test = CausalSimulations.WagerAtheyHeterogeneous(200, 3, seed: 62).ToCateData().Features;
        Span<double> tau = stackalloc double[1], v = stackalloc double[1];
        var differs = 0;
        for (var i = 0; i < test.RowCount; i++)
        {
            var x = test.Row(i);
            multi.PredictCate(x, tau);
            multi.PredictVariance(x, v);
            Close(binary.PredictCate(x), tau[0]);
            Close(binary.PredictVariance(x), v[0]);
            differs += binary.PredictCate(x) != tau[0] ? 1 : 0;
        }
        for (var r = 0; r < 800; r++)
        {
            Close(binary.OutOfBagCate.Span[r], multi.OutOfBagCate.Span[r]);
            Close(binary.OutOfBagVariance.Span[r], multi.OutOfBagVariance.Span[r]);
            Assert.Equal(binary.TreatmentEstimates.Span[r], multi.TreatmentEstimates.Span[r]);
            Assert.Equal(binary.OutcomeEstimates.Span[r], multi.OutcomeEstimates.Span[r]);
        }
        var ateBinary = binary.AverageEffects.Single(e => e.Estimand == Estimand.Ate);
        var ateMulti = multi.AverageEffects.Single(e => e.Estimand == Estimand.Ate);
        Close(ateBinary.Estimate, ateMulti.Estimate);
        Close(ateBinary.StandardError, ateMulti.StandardError);
    }

    [Fact]
    public void TheMultiArmForestPassesTheConformanceKitWithVectorOutputsNamedByArm()
    {
        var learner = new MultiArmCausalForestOptions { Forest = new ForestOptions { NumberOfTrees = 20 }, NuisanceTrees = 10 };
        var columns = new CateColumns("Y", "Arm") { TreatmentKind = TreatmentKind.MultiArm, ControlArm = "none" };
        var train = CatePipelineTests.ThreeArms(450, seed: 5, asKey: true);
        EstimatorConformance.Run(new ConformanceCase<CausalTransformerChain<CateTransformer>>
        {
            Create = ctx => ctx.Transforms.Featurize("Features", "x1", "x2").Append(ctx.Cate.Trainers.MultiArmCausalForest(learner, columns)),
            TrainData = train,
            ScoringData = CatePipelineTests.ThreeArms(50, seed: 6, asKey: true),
            BadSchemas = [(TestTables.Without(train, "Arm"), "Arm"), (TestTables.Without(train, "Y"), "Y")],
            BadValues = [(TestTables.WithValue(train, "Y", 7, double.NaN), "Y")],
            TrainingOnlyColumns = ["Y", "Arm"],
        });
    }

    [Fact]
    public void ThePipelineAddsPerArmVectorsWhoseVarianceGivesTheInterval()
    {
        var ctx = new CausalContext(3);
        var pipeline = ctx.Transforms.Featurize("Features", "x1", "x2").Append(ctx.Cate.Trainers.MultiArmCausalForest("Y", "Arm", controlArm: "none", numberOfTrees: 40));
        var train = CatePipelineTests.ThreeArms(600, seed: 21, asKey: false);
        var promised = pipeline.GetOutputSchema(train.Schema);
        Assert.True(promised.TryGetColumn(CateTransformer.VarianceColumn, out _));
        var model = pipeline.Fit(train);
        // 600 rows: several of the forest's 256-row blocks, the last one partial.
        var scored = model.Transform(CatePipelineTests.ThreeArms(600, seed: 22, asKey: false));
        var variance = scored.Schema[CateTransformer.VarianceColumn];
        Assert.Equal(ColumnType.Vector(2), variance.Type);
        Assert.Equal(["email", "sms"], variance.SlotNames.ToArray());
        var cate = scored.GetColumn<double>("Cate").Span;
        var lower = scored.GetColumn<double>("CateLower").Span;
        var v = scored.GetColumn<double>("CateVariance").Span;
        var z = AverageEffect.Quantile(0.95);
        for (var i = 0; i < v.Length; i++)
        {
            Assert.True(v[i] > 0 && double.IsFinite(v[i]));
            Assert.Equal(cate[i] - z * Math.Sqrt(v[i]), lower[i], 12);
        }
        // The transform scores blocks of rows together; row by row gives the same values bit for bit.
        var features = scored.GetColumn<double>("Features").Span;
        var upper = scored.GetColumn<double>("CateUpper").Span;
        var forest = model.LastTransformer.Model;
        Assert.True(forest.PredictionBlockRows > 1);
        double[] one = new double[2], lo = new double[2], hi = new double[2], var = new double[2];
        for (var i = 0; i < scored.RowCount; i++)
        {
            forest.Predict(features.Slice(i * 2, 2), 0.95, one, lo, hi, var);
            Assert.Equal(one, cate.Slice(i * 2, 2).ToArray());
            Assert.Equal(lo, lower.Slice(i * 2, 2).ToArray());
            Assert.Equal(hi, upper.Slice(i * 2, 2).ToArray());
            Assert.Equal(var, v.Slice(i * 2, 2).ToArray());
        }
    }

    [Fact]
    public void BadInputGetsErrorsNamingTheOptionAndTheRow()
    {
        var (data, _, _) = ThreeArmTrial(200, seed: 3);
        var estimates = new double[400];
        Array.Fill(estimates, 1.0 / 3);
        estimates[2 * 17 + 1] = double.NaN;
        var given = Assert.Throws<DataValidationException>(() => new MultiArmCausalForest(new MultiArmCausalForestOptions { TreatmentEstimates = estimates, Forest = new ForestOptions { NumberOfTrees = 2 } }).Fit(data));
        Assert.Equal(("TreatmentEstimates", 17), (given.ColumnName, given.Row));
        var wrongLength = Assert.Throws<ArgumentException>(() => new MultiArmCausalForest(new MultiArmCausalForestOptions { TreatmentEstimates = new double[200], Forest = new ForestOptions { NumberOfTrees = 2 } }).Fit(data));
        Assert.Contains("2 per row", wrongLength.Message);
        // Known arm shares are used as Ŵ as given (arms a, b, c: shares 0.2, 0.3, 0.5).
        var shares = (MultiArmCausalForestModel)new MultiArmCausalForest(new MultiArmCausalForestOptions
        {
            Propensity = new PropensityOptions { ArmShares = [0.2, 0.3, 0.5] }, Forest = new ForestOptions { NumberOfTrees = 4 }, NuisanceTrees = 2,
        }).Fit(data);
        Assert.All(shares.TreatmentEstimates.ToArray().Chunk(2), e => Assert.Equal([0.2, 0.3], e));
        Assert.True(shares.Overlap!.Known);
        Assert.Equal(0.2, shares.Overlap.MinPropensity);
        Assert.Equal(0.5, shares.Overlap.MaxPropensity, 12);

        var dose = data with { Treatment = TreatmentAssignment.Continuous(data.Outcome.Span, "Dose") };
        Assert.Throws<DataValidationException>(() => new MultiArmCausalForest().Fit(dose));
    }

    [Fact]
    public void RescalingAllWeightsByAPowerOfTwoChangesNothingAndClustersWiden()
    {
        var (data, _, _) = ThreeArmTrial(600, seed: 7);
        var random = new CausalRandom(8);
        var weights = Enumerable.Range(0, 600).Select(_ => 0.5 + random.NextDouble()).ToArray();
        var learner = new MultiArmCausalForest(new MultiArmCausalForestOptions { Forest = new ForestOptions { NumberOfTrees = 40 }, NuisanceTrees = 20 });
        var context = new FitContext { Seed = 3 };
        var weighted = (MultiArmCausalForestModel)learner.Fit(data with { Weights = weights }, context);
        var scaled = (MultiArmCausalForestModel)learner.Fit(data with { Weights = weights.Select(w => 4 * w).ToArray() }, context);
        Assert.Equal(weighted.OutOfBagCate.ToArray(), scaled.OutOfBagCate.ToArray());
        Assert.Equal(weighted.OutOfBagVariance.ToArray(), scaled.OutOfBagVariance.ToArray());
        Assert.Equal(weighted.AverageEffects.Select(e => e.Estimate), scaled.AverageEffects.Select(e => e.Estimate));
        var plain = (MultiArmCausalForestModel)learner.Fit(data, context);
        Assert.NotEqual(plain.OutOfBagCate.ToArray(), weighted.OutOfBagCate.ToArray());

        // Clusters of 10 rows sharing one shock: cluster-robust ATE standard errors are larger than the row-level ones.
        var y = data.Outcome.ToArray();
        var clusters = Enumerable.Range(0, 600).Select(r => r / 10).ToArray();
        var shocks = Enumerable.Range(0, 60).Select(_ => random.NextGaussian()).ToArray();
        for (var r = 0; r < 600; r++)
            y[r] += 2 * shocks[clusters[r]];
        var rowLevel = learner.Fit(data with { Outcome = y }, context).AverageEffects.Where(e => e.Estimand == Estimand.Ate).ToArray();
        var clustered = learner.Fit(data with { Outcome = y, Clusters = clusters }, context).AverageEffects.Where(e => e.Estimand == Estimand.Ate).ToArray();
        for (var k = 0; k < 2; k++)
            Assert.True(clustered[k].StandardError > rowLevel[k].StandardError, $"arm {k}: clustered SE {clustered[k].StandardError}, row-level {rowLevel[k].StandardError}");
    }

    [Fact]
    public void GivenLearnersCrossFitTheNuisances()
    {
        // A trial with P(arm) = 1/3: cross-fitted logistic propensities stay near 1/3 and the ATEs stay right.
        var (data, _, _) = ThreeArmTrial(1500, seed: 17);
        var model = (MultiArmCausalForestModel)new MultiArmCausalForest(new MultiArmCausalForestOptions
        {
            PropensityLearner = new Microsoft.ML.Causal.Learners.Linear.LogisticRegressionLearner(),
            OutcomeLearner = new Microsoft.ML.Causal.Learners.Linear.LeastSquaresRegressionLearner(),
            Folds = 2,
            Forest = new ForestOptions { NumberOfTrees = 60 },
        }).Fit(data, new FitContext { Seed = 2 });
        Assert.All(model.TreatmentEstimates.ToArray(), e => Assert.InRange(e, 0.2, 0.47));
        Assert.False(model.Overlap!.Known);
        var truth = new Dictionary<string, double> { ["a"] = 1, ["b"] = 0 };
        foreach (var ate in model.AverageEffects.Where(e => e.Estimand == Estimand.Ate))
            Assert.InRange(truth[ate.Arm], ate.Estimate - 4 * ate.StandardError, ate.Estimate + 4 * ate.StandardError);
    }

    [Fact]
    public void TheKernelWeightsSolveTheSameLocalSystemAsTheLeafStatistics()
    {
        // τ̂(x) = A⁻¹c with A, c the αᵢ(x)-weighted centered moments of Ỹ = Y − m̂ and W̃ = one-hot − ê (unit weights).
        var (data, _, _) = ThreeArmTrial(400, seed: 23);
        var model = (MultiArmCausalForestModel)new MultiArmCausalForest(new MultiArmCausalForestOptions { Forest = new ForestOptions { NumberOfTrees = 20, KeepLeafSamples = true }, NuisanceTrees = 10 })
            .Fit(data, new FitContext { Seed = 4 });
        Assert.True(model.HasLeafSamples);
        var y = data.Outcome.Span;
        var m = model.OutcomeEstimates.Span;
        var e = model.TreatmentEstimates.Span;
        var x = data.Features.Row(5);
        var (rows, alpha) = model.ForestWeights(x);
        Assert.Equal(1.0, alpha.Sum(), 12);
        double sy = 0, s1 = 0, s2 = 0, s11 = 0, s12 = 0, s22 = 0, s1y = 0, s2y = 0;
        for (var i = 0; i < rows.Length; i++)
        {
            var r = rows[i];
            var yc = y[r] - m[r];
            var w1 = (data.Treatment.Arms[r] == 0 ? 1 : 0) - e[2 * r];
            var w2 = (data.Treatment.Arms[r] == 1 ? 1 : 0) - e[2 * r + 1];
            sy += alpha[i] * yc;
            s1 += alpha[i] * w1;
            s2 += alpha[i] * w2;
            s11 += alpha[i] * w1 * w1;
            s12 += alpha[i] * w1 * w2;
            s22 += alpha[i] * w2 * w2;
            s1y += alpha[i] * w1 * yc;
            s2y += alpha[i] * w2 * yc;
        }
        double a11 = s11 - s1 * s1, a12 = s12 - s1 * s2, a22 = s22 - s2 * s2, c1 = s1y - s1 * sy, c2 = s2y - s2 * sy;
        var det = a11 * a22 - a12 * a12;
        var expected = new[] { (a22 * c1 - a12 * c2) / det, (a11 * c2 - a12 * c1) / det };
        var actual = new double[2];
        model.PredictCate(x, actual);
        Assert.Equal(expected[0], actual[0], 1e-9);
        Assert.Equal(expected[1], actual[1], 1e-9);
        Assert.False(((MultiArmCausalForestModel)model.Compact()).HasLeafSamples);
    }
}
