using Microsoft.ML.Causal.Inference;
using Microsoft.ML.Causal.Learners;
using Microsoft.ML.Causal.Learners.Linear;
using Microsoft.ML.Causal.Numerics;
using Microsoft.ML.Causal.Simulation;
using Microsoft.ML.Causal.Trainers;

namespace Microsoft.ML.Causal.Tests.Trainers;

public class CateTreatmentKindsTests
{
    /// <summary>Three arms "a" (control), "b", "c" in a trial with shares ⅓; τ_b(x) = 1 + x₁, τ_c(x) = 2; baseline x₂ + x₃².</summary>
    internal static (CateData Data, double[] X) ThreeArms(int n, int seed)
    {
        var r = new CausalRandom(seed);
        const int p = 4;
        var x = new double[n * p];
        var y = new double[n];
        var arms = new int[n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < p; j++)
                x[i * p + j] = r.NextGaussian();
            arms[i] = r.NextInt(3);
            var tau = arms[i] switch { 1 => 1 + x[i * p], 2 => 2.0, _ => 0 };
            y[i] = x[i * p + 1] + x[i * p + 2] * x[i * p + 2] + tau + r.NextGaussian();
        }
        return (new CateData(new FeatureMatrix(x, n, p), y, TreatmentAssignment.Discrete(arms, ["a", "b", "c"], 0, "Arm")), x);
    }

    [Theory]
    [InlineData("t")]
    [InlineData("dr")]
    [InlineData("r")]
    [InlineData("linear-dml")]
    public void SeveralArmsGiveOneEffectPerArmAgainstControl(string method)
    {
        var (data, _) = ThreeArms(3000, 3);
        var model = CateEstimatorTests.Create(method).Fit(data, new FitContext { Seed = 2 });
        Assert.Equal(["b", "c"], model.EffectNames.ToArray());
        Assert.Equal("a", model.ControlArm);
        // Truth: E[τ_b] = 1 (x₁ centred), τ_c = 2; the sample mean of x₁ shifts τ_b's truth slightly.
        var meanX1 = Enumerable.Range(0, data.Features.RowCount).Average(i => data.Features.Row(i)[0]);
        double[] truth = [1 + meanX1, 2];
        for (var k = 0; k < 2; k++)
        {
            var ate = model.AverageEffects.Single(e => e.Arm == model.EffectNames[k] && e.Estimand == Estimand.Ate);
            Assert.InRange(ate.Estimate, truth[k] - 4 * ate.StandardError, truth[k] + 4 * ate.StandardError);
        }
        // τ_b varies with x₁ (variance 1, the MSE of the best constant): the estimate must do better than a constant.
        var (test, xs) = ThreeArms(500, 4);
        var cate = new double[2];
        var mse = Enumerable.Range(0, 500).Average(i =>
        {
            model.PredictCate(test.Features.Row(i), cate);
            return Math.Pow(cate[0] - (1 + xs[i * 4]), 2);
        });
        Assert.True(mse < 1, $"MSE of τ̂_b {mse:G3} is no better than a constant's (1)");
    }

    [Fact]
    public void LinearDmlRecoversALinearEffectWithIntervalsThatCoverIt()
    {
        // τ(x) = 1 + 2x₁ under confounding (Nie–Wager A's nuisances with a linear effect).
        var sim = CausalSimulations.NieWagerA(4000, 6, seed: 8);
        var x = sim.ToFeatureMatrix();
        var y = new double[sim.RowCount];
        for (var i = 0; i < y.Length; i++)
            y[i] = sim.Baseline[i] + (sim.Treatment[i] - 0.5) * (1 + 2 * x.Row(i)[0]) + new CausalRandom(1000 + i).NextGaussian();
        var data = new CateData(x, y, TreatmentAssignment.FromValues(sim.Treatment.ToArray()));
        var model = CateEstimatorTests.Create("linear-dml").Fit(data, new FitContext { Seed = 4 });
        Assert.True(model.HasAnalyticIntervals);
        Span<double> lo = stackalloc double[1];
        Span<double> hi = stackalloc double[1];
        var covered = 0;
        var points = 0;
        for (var v = 0.05; v < 1; v += 0.1, points++)
        {
            double[] point = [v, 0.5, 0.5, 0.5, 0.5, 0.5];
            model.PredictInterval(point, 0.95, lo, hi);
            var truth = 1 + 2 * v;
            var se = (hi[0] - lo[0]) / (2 * 1.959963984540054);
            Assert.InRange(model.PredictCate(point), truth - 4 * se, truth + 4 * se);
            covered += lo[0] <= truth && truth <= hi[0] ? 1 : 0;
        }
        Assert.True(covered >= points - 2, $"{covered} of {points} intervals cover the truth");
    }

    [Fact]
    public void LinearDmlEstimatesTheMarginalEffectOfAContinuousTreatment()
    {
        // T = x₁ + N(0, 1) (confounded through x₁), Y = x₁² + θ(x)·T + ε with θ(x) = 1 + x₂; average θ = 1 + mean x₂.
        var r = new CausalRandom(17);
        const int n = 4000, p = 3;
        var x = new double[n * p];
        var t = new double[n];
        var y = new double[n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < p; j++)
                x[i * p + j] = r.NextGaussian();
            t[i] = x[i * p] + r.NextGaussian();
            y[i] = x[i * p] * x[i * p] + (1 + x[i * p + 1]) * t[i] + r.NextGaussian();
        }
        var data = new CateData(new FeatureMatrix(x, n, p), y, TreatmentAssignment.Continuous(t, "Dose"));
        var model = CateEstimatorTests.Create("linear-dml").Fit(data, new FitContext { Seed = 6 });
        Assert.Equal(["Dose"], model.EffectNames.ToArray());
        Assert.Null(model.ControlArm);
        var truth = 1 + Enumerable.Range(0, n).Average(i => x[i * p + 1]);
        var ate = model.AverageEffects.Single();
        Assert.InRange(ate.Estimate, truth - 4 * ate.StandardError, truth + 4 * ate.StandardError);
        Assert.InRange(model.PredictCate([0, 1, 0]), 1.7, 2.3);
    }

    [Fact]
    public void MetaLearnersRejectAContinuousTreatmentNamingTheColumn()
    {
        var data = new CateData(new FeatureMatrix(new double[20], 20, 1), new double[20], TreatmentAssignment.Continuous(Enumerable.Range(0, 20).Select(i => (double)i).ToArray(), "Dose"));
        var error = Assert.Throws<DataValidationException>(() => new TLearner().Fit(data));
        Assert.Equal("Dose", error.ColumnName);
        Assert.Contains("LinearDml", error.Message);
    }

    [Fact]
    public void LassoFinalStageKeepsTheTermsThatCarryTheEffect()
    {
        var sim = CausalSimulations.NieWagerB(3000, 10, seed: 12);
        var model = CateEstimatorTests.Create("sparse-linear-dml").Fit(sim.ToCateData(), new FitContext { Seed = 1 });
        // τ = x₁ + log(1 + e^{x₂}): increasing in x₁ and x₂, flat in x₆ … x₁₀.
        var at = new double[10];
        var baseline = model.PredictCate(at);
        at[0] = 1;
        Assert.True(model.PredictCate(at) - baseline > 0.6);
        at[0] = 0;
        at[7] = 1;
        Assert.InRange(model.PredictCate(at) - baseline, -0.25, 0.25);
    }

    [Fact]
    public void OlsFinalStageMatchesTheLeastSquaresLearnerItWraps()
    {
        // The DML final stage is OLS without intercept on φ(x)⊗T̃; with fixed nuisances (known propensity 0.5, an
        // outcome model that always predicts 0) the residuals are Y and W − 0.5, so β must equal a direct fit.
        var sim = CausalSimulations.NieWagerB(500, 5, seed: 2);
        var data = sim.ToCateData();
        var options = new DmlOptions { OutcomeLearner = new ZeroLearner(), Propensity = new PropensityOptions { Constant = 0.5 } };
        var model = new LinearDml(options).Fit(data, new FitContext { Seed = 3 });
        var n = sim.RowCount;
        var z = new double[n * 6];
        var yt = new double[n];
        for (var i = 0; i < n; i++)
        {
            var t = sim.Treatment[i] - 0.5;
            z[i * 6] = t;
            for (var j = 0; j < 5; j++)
                z[i * 6 + 1 + j] = sim.Features[i * 5 + j] * t;
            yt[i] = sim.Outcome[i];
        }
        var direct = new LeastSquaresRegressionLearner(new LeastSquaresOptions { FitIntercept = false }).FitModel(new TrainingSet(new FeatureMatrix(z, n, 6), yt));
        double[] point = [0.3, -0.2, 0.1, 0.5, -1];
        var expected = direct.Coefficients[0] + Enumerable.Range(0, 5).Sum(j => direct.Coefficients[1 + j] * point[j]);
        Assert.Equal(expected, model.PredictCate(point), 9);
    }

    /// <summary>A nuisance model that always predicts 0.</summary>
    private sealed class ZeroLearner : IRegressionLearner
    {
        public IRegressionModel Fit(TrainingSet data, FitContext? context = null) =>
            new LinearRegressionModel(data.Features.ColumnNames, 0, new double[data.Features.ColumnCount], 0, 0, null);
    }
}
