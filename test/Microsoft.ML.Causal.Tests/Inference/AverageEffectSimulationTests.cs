using Microsoft.ML.Causal.Inference;
using Microsoft.ML.Causal.Learners;
using Microsoft.ML.Causal.Learners.GradientBoosting;
using Microsoft.ML.Causal.Numerics;
using Microsoft.ML.Causal.Simulation;
using Microsoft.ML.Causal.Tests.Trainers;
using Microsoft.ML.Causal.Trainers;

namespace Microsoft.ML.Causal.Tests.Inference;

/// <summary>Average effects on simulated data with known truth; every tolerance is a multiple of the reported SE.</summary>
public class AverageEffectSimulationTests
{
    /// <summary>Small boosting learners (as the CATE tests use) so that the suite stays fast.</summary>
    internal static AverageEffectOptions Options(AverageEffectMethod method, Estimand estimand = Estimand.Ate) => new()
    {
        Method = method,
        Estimand = estimand,
        OutcomeLearner = new GradientBoostingRegressionLearner(CateEstimatorTests.Boost),
        PropensityLearner = new GradientBoostingClassificationLearner(CateEstimatorTests.Boost),
    };

    private static AverageEffect Estimate(CateData data, AverageEffectMethod method, Estimand estimand = Estimand.Ate) =>
        new AverageEffectEstimator(Options(method, estimand)).Estimate(data, new FitContext { Seed = 3 }).Effects.Single();

    private static void Within(double truth, AverageEffect effect, double standardErrors = 4)
    {
        Assert.True(effect.StandardError > 0 && double.IsFinite(effect.StandardError), effect.ToString());
        Assert.True(Math.Abs(effect.Estimate - truth) <= standardErrors * effect.StandardError,
            $"{effect}; truth {truth:G4}, off by {(effect.Estimate - truth) / effect.StandardError:F2} SE");
    }

    /// <summary>The mean of τ over the rows of arm <paramref name="arm"/> (null: all rows).</summary>
    private static double Truth(SimulatedExperiment sim, double? arm = null) =>
        Enumerable.Range(0, sim.RowCount).Where(i => arm is null || sim.Treatment[i] == arm).Average(i => sim.Effect[i]);

    public static TheoryData<AverageEffectMethod> Methods =>
        [AverageEffectMethod.Aipw, AverageEffectMethod.Ipw, AverageEffectMethod.DifferenceInMeans, AverageEffectMethod.RegressionAdjustment];

    [Theory]
    [MemberData(nameof(Methods))]
    public void InATrialEveryMethodIsWithinFourStandardErrorsOfTheTruth(AverageEffectMethod method)
    {
        var sim = CausalSimulations.NieWagerB(2000, 6, seed: 13);
        Within(Truth(sim), Estimate(sim.ToCateData(), method));
    }

    [Fact]
    public void UnderConfoundingAipwAndIpwRecoverTheEffectWhileTheDifferenceInMeansIsBiased()
    {
        // Setup C: e(x) = 1/(1 + e^{x₂+x₃}) and b(x) = 2·log(1 + e^{x₁+x₂+x₃}), so the treated have low baselines.
        // The bias of the difference in means is a property of the design: on 200 000 rows it is ≈ −1.46 (τ = 1),
        // about 17 times the SE at n = 2000 (≈ 0.087), while a sample's estimate varies by about one SE.
        var population = CausalSimulations.NieWagerC(200_000, 6, seed: 99).ToCateData();
        var bias = Estimate(population, AverageEffectMethod.DifferenceInMeans).Estimate - 1;

        var sim = CausalSimulations.NieWagerC(2000, 6, seed: 12);
        var data = sim.ToCateData();
        var difference = Estimate(data, AverageEffectMethod.DifferenceInMeans);
        Assert.True(Math.Abs(bias) > 10 * difference.StandardError, $"population bias {bias:G3}, SE {difference.StandardError:G3}");
        Assert.True(Math.Abs(difference.Estimate - 1) > 4 * difference.StandardError, difference.ToString());

        Within(1, Estimate(data, AverageEffectMethod.Aipw));
        Within(1, Estimate(data, AverageEffectMethod.Ipw));
    }

    [Theory]
    [InlineData(AverageEffectMethod.Aipw)]
    [InlineData(AverageEffectMethod.Ipw)]
    [InlineData(AverageEffectMethod.RegressionAdjustment)]
    public void AttAndAtcAreWithinFourStandardErrorsOfTheTrueConditionalAverages(AverageEffectMethod method)
    {
        // Setup A: τ = (x₁ + x₂)/2 and e rises with x₁x₂, so the treated have larger effects than the controls.
        var sim = CausalSimulations.NieWagerA(2000, 6, seed: 11);
        var data = sim.ToCateData();
        double att = Truth(sim, 1), atc = Truth(sim, 0);
        Assert.True(att - atc > 0.15, $"ATT {att:G3}, ATC {atc:G3}");
        Within(att, Estimate(data, method, Estimand.Att));
        Within(atc, Estimate(data, method, Estimand.Atc));
    }

    [Fact]
    public void TheOverlapWeightedEffectIsWithinFourStandardErrorsOfItsTruth()
    {
        var sim = CausalSimulations.NieWagerA(2000, 6, seed: 11);
        var h = Enumerable.Range(0, sim.RowCount).Select(i => sim.Propensity[i] * (1 - sim.Propensity[i])).ToArray();
        var truth = Enumerable.Range(0, sim.RowCount).Sum(i => h[i] * sim.Effect[i]) / h.Sum();
        Within(truth, Estimate(sim.ToCateData(), AverageEffectMethod.Aipw, Estimand.Overlap));
    }

    [Fact]
    public void SeveralArmsGiveOneEffectPerNonControlArmInArmOrder()
    {
        // Three arms with P(arm | x) ∝ (1, e^{x₁}, e^{−x₁}) and Y = x₁ + 2x₂ + τ_W + ε, τ = (0, 1, −0.5).
        const int n = 1500;
        var random = new CausalRandom(8);
        var x = new double[n * 3];
        var y = new double[n];
        var w = new double[n];
        double[] tau = [0, 1, -0.5];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < 3; j++)
                x[i * 3 + j] = random.NextGaussian();
            double p1 = Math.Exp(x[i * 3]), p2 = Math.Exp(-x[i * 3]), u = random.NextDouble() * (1 + p1 + p2);
            w[i] = u < 1 ? 0 : u < 1 + p1 ? 1 : 2;
            y[i] = x[i * 3] + 2 * x[i * 3 + 1] + tau[(int)w[i]] + random.NextGaussian();
        }
        var data = new CateData(new FeatureMatrix(x, n, 3), y, TreatmentAssignment.FromValues(w, 0, "arm"));
        foreach (var method in new[] { AverageEffectMethod.Aipw, AverageEffectMethod.Ipw })
        {
            var result = new AverageEffectEstimator(Options(method)).Estimate(data, new FitContext { Seed = 4 });
            Assert.Equal(["1", "2"], result.Effects.Select(e => e.Arm));
            Within(1, result["1"]);
            Within(-0.5, result["2"]);
            Assert.False(result.Overlap!.Known);
        }
    }

    [Fact]
    public void KnownArmSharesServeATrialWithSeveralArms()
    {
        const int n = 900;
        var random = new CausalRandom(2);
        var x = new double[n];
        var y = new double[n];
        var w = new double[n];
        for (var i = 0; i < n; i++)
        {
            x[i] = random.NextGaussian();
            var u = random.NextDouble();
            w[i] = u < 0.5 ? 0 : u < 0.8 ? 1 : 2;
            y[i] = x[i] + (w[i] == 1 ? 2 : w[i] == 2 ? 1 : 0) + random.NextGaussian();
        }
        var data = new CateData(new FeatureMatrix(x, n, 1), y, TreatmentAssignment.FromValues(w, 0, "arm"));
        var result = new AverageEffectEstimator(Options(AverageEffectMethod.Ipw) with { Propensity = new PropensityOptions { ArmShares = [0.5, 0.3, 0.2] } })
            .Estimate(data);
        Assert.True(result.Overlap!.Known);
        Within(2, result["1"]);
        Within(1, result["2"]);
    }

    [Fact]
    public void ResultsDependOnTheSeedOnlyNotOnTheThreadCount()
    {
        var data = CausalSimulations.NieWagerA(600, 5, seed: 4).ToCateData();
        var one = new AverageEffectEstimator(Options(AverageEffectMethod.Aipw) with { MaxDegreeOfParallelism = 1 }).Estimate(data, new FitContext { Seed = 9 });
        var two = new AverageEffectEstimator(Options(AverageEffectMethod.Aipw) with { MaxDegreeOfParallelism = 2 }).Estimate(data, new FitContext { Seed = 9 });
        Assert.Equal(one.Effects[0], two.Effects[0]);
        var seeded = new AverageEffectEstimator(Options(AverageEffectMethod.Aipw) with { Seed = 9 }).Estimate(data, new FitContext { Seed = 123 });
        Assert.Equal(one.Effects[0], seeded.Effects[0]);
    }
}
