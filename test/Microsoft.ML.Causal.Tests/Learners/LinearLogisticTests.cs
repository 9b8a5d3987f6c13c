using Microsoft.ML.Causal.Learners;
using Microsoft.ML.Causal.Learners.Linear;
using Microsoft.ML.Causal.Numerics;
using Microsoft.ML.Causal.Persistence;
using static Microsoft.ML.Causal.Tests.Learners.LinearTestData;

namespace Microsoft.ML.Causal.Tests.Learners;

public class LinearLogisticTests
{
    private static double Sigmoid(double eta) => 1 / (1 + Math.Exp(-eta));

    /// <summary>Labels from P(y = 1) = σ(0.3 + Σ β_j x_j) with the features of <see cref="LinearTestData.Regression"/>.</summary>
    private static (TrainingSet Data, double[] X, double[] Y, double[] W) Binary(int n, double[] beta, int seed, bool weighted = false)
    {
        var (data, x, _, w) = Regression(n, beta, seed, weighted);
        var r = new CausalRandom(seed + 1000);
        var p = beta.Length;
        var y = new double[n];
        for (var i = 0; i < n; i++)
        {
            var eta = 0.3;
            for (var j = 0; j < p; j++)
                eta += beta[j] * x[i * p + j];
            y[i] = r.NextDouble() < Sigmoid(eta) ? 1 : 0;
        }
        return (data with { Labels = y }, x, y, w);
    }

    /// <summary>Gradient of (1/Σw) Σ w [log(1+e^η) − yη] + λ/2 ‖β̃‖² on the standardized scale, at the model's coefficients.</summary>
    private static double[] Gradient(double[] x, double[] y, double[] w, int p, LogisticRegressionModel m, double lambda)
    {
        var sw = w.Sum();
        var moments = Enumerable.Range(0, p).Select(j => Moments(x, p, j, w)).ToArray();
        var g = new double[p + 1];
        for (var i = 0; i < y.Length; i++)
        {
            var residual = m.PredictProbability(x.AsSpan(i * p, p)) - y[i];
            g[0] += w[i] * residual / sw;
            for (var j = 0; j < p; j++)
                g[1 + j] += w[i] * residual * (x[i * p + j] - moments[j].Mean) / moments[j].Sd / sw;
        }
        for (var j = 0; j < p; j++)
            g[1 + j] += lambda * m.Coefficients[j] * moments[j].Sd;
        return g;
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1e-4)]
    [InlineData(0.05)]
    public void ThePenalizedGradientVanishesAtTheSolution(double lambda)
    {
        var (data, x, y, w) = Binary(300, [1, -0.5, 0.25], seed: 21, weighted: true);
        var model = new LogisticRegressionLearner(new LogisticRegressionOptions { L2Regularization = lambda }).FitModel(data);
        // The objective is a weighted mean, so its gradient is of order 1 away from the optimum.
        Assert.All(Gradient(x, y, w, 3, model, lambda), g => Assert.True(Math.Abs(g) <= 1e-6, $"gradient component {g}"));
    }

    [Fact]
    public void MatchesPlainGradientDescentOnATinyProblem()
    {
        double[] x = [0.5, 3, 1.5, 1, -1, 4, 2, 2.5, 0, 5, 1, 0.5, 2.5, 2, -0.5, 3.5, 1.2, 1.8, 0.3, 4.4];
        double[] y = [1, 0, 0, 1, 0, 1, 1, 0, 1, 0];
        double[] w = [1, 2, 0.5, 1, 1.5, 1, 3, 1, 0.7, 1];
        const double lambda = 0.1;
        var model = new LogisticRegressionLearner(new LogisticRegressionOptions { L2Regularization = lambda })
            .FitModel(new TrainingSet(new FeatureMatrix(x, 10, 2), y) { Weights = w });

        // Gradient descent on the standardized objective with step 1/L, L = ¼ · trace(ZᵀW̄Z) + λ ≥ the largest curvature.
        var sw = w.Sum();
        var m = Enumerable.Range(0, 2).Select(j => Moments(x, 2, j, w)).ToArray();
        var z = new double[10, 3];
        for (var i = 0; i < 10; i++)
        {
            z[i, 0] = 1;
            for (var j = 0; j < 2; j++)
                z[i, 1 + j] = (x[2 * i + j] - m[j].Mean) / m[j].Sd;
        }
        var theta = new double[3];
        var step = 1 / (0.25 * 3 + lambda);
        for (var iteration = 0; iteration < 200_000; iteration++)
        {
            var g = new double[3];
            for (var i = 0; i < 10; i++)
            {
                var residual = Sigmoid(theta[0] + theta[1] * z[i, 1] + theta[2] * z[i, 2]) - y[i];
                for (var a = 0; a < 3; a++)
                    g[a] += w[i] / sw * residual * z[i, a];
            }
            for (var a = 1; a < 3; a++)
                g[a] += lambda * theta[a];
            for (var a = 0; a < 3; a++)
                theta[a] -= step * g[a];
        }
        var slope = new[] { theta[1] / m[0].Sd, theta[2] / m[1].Sd };
        Assert.Equal(theta[0] - slope[0] * m[0].Mean - slope[1] * m[1].Mean, model.Intercept, 1e-5);
        Assert.Equal(slope[0], model.Coefficients[0], 1e-5);
        Assert.Equal(slope[1], model.Coefficients[1], 1e-5);
    }

    [Fact]
    public void EstimatesLieWithinFourStandardErrorsOfTheTruth()
    {
        double[] beta = [1, -0.5, 0.25];
        var (data, x, y, _) = Binary(4000, beta, seed: 22);
        var model = new LogisticRegressionLearner(new LogisticRegressionOptions { L2Regularization = 0 }).FitModel(data);
        // Standard errors from the inverse Fisher information Σ p(1 − p) z zᵀ at the estimate.
        var info = new double[4, 4];
        for (var i = 0; i < y.Length; i++)
        {
            double[] z = [1, x[3 * i], x[3 * i + 1], x[3 * i + 2]];
            var p = model.PredictProbability(x.AsSpan(3 * i, 3));
            for (var a = 0; a < 4; a++)
            {
                for (var b = 0; b < 4; b++)
                    info[a, b] += p * (1 - p) * z[a] * z[b];
            }
        }
        var v = Inverse(info);
        Assert.InRange(model.Intercept, 0.3 - 4 * Math.Sqrt(v[0, 0]), 0.3 + 4 * Math.Sqrt(v[0, 0]));
        for (var j = 0; j < 3; j++)
            Assert.InRange(model.Coefficients[j], beta[j] - 4 * Math.Sqrt(v[1 + j, 1 + j]), beta[j] + 4 * Math.Sqrt(v[1 + j, 1 + j]));
    }

    [Fact]
    public void IntegerWeightsEqualDuplicatedRows()
    {
        var (data, x, y, w) = Binary(80, [1, -1], seed: 23, weighted: true);
        var dx = new List<double>();
        var dy = new List<double>();
        for (var i = 0; i < y.Length; i++)
        {
            for (var k = 0; k < w[i]; k++)
            {
                dx.AddRange(x.AsSpan(2 * i, 2).ToArray());
                dy.Add(y[i]);
            }
        }
        var learner = new LogisticRegressionLearner(new LogisticRegressionOptions { L2Regularization = 0.01 });
        var weighted = learner.FitModel(data);
        var duplicated = learner.FitModel(new TrainingSet(new FeatureMatrix(dx.ToArray(), dy.Count, 2), dy.ToArray()));
        Assert.Equal(duplicated.Intercept, weighted.Intercept, 9);
        for (var j = 0; j < 2; j++)
            Assert.Equal(duplicated.Coefficients[j], weighted.Coefficients[j], 9);
    }

    [Fact]
    public void ProbabilitiesStayInTheUnitIntervalEvenFarOut()
    {
        var (data, _, _, _) = Binary(200, [2, -1], seed: 24);
        var model = new LogisticRegressionLearner().FitModel(data);
        foreach (var row in new double[][] { [1e6, -1e6], [-1e6, 1e6], [0, 0], [1e300, 1e300] })
        {
            var p = model.PredictProbability(row);
            Assert.InRange(p, 0, 1);
        }
        Assert.Equal(1, model.PredictProbability([1e6, -1e6]));
        Assert.Equal(0, model.PredictProbability([-1e6, 1e6]));
    }

    [Fact]
    public void SeparatedClassesNeedAPenalty()
    {
        double[] x = [1, 2, 3, 4, 5, 6, 7, 8];
        double[] y = [0, 0, 0, 0, 1, 1, 1, 1];
        var data = new TrainingSet(new FeatureMatrix(x, 8, 1, ["dose"]), y) { LabelColumnName = "cured" };
        var e = Assert.Throws<DataValidationException>(() => new LogisticRegressionLearner(new LogisticRegressionOptions { L2Regularization = 0 }).Fit(data));
        Assert.Equal("cured", e.ColumnName);
        Assert.Contains("separated", e.Message);
        Assert.Contains("L2Regularization", e.Message);
        var penalized = new LogisticRegressionLearner().FitModel(data);
        Assert.True(double.IsFinite(penalized.Coefficients[0]) && penalized.Coefficients[0] > 0);
        Assert.True(penalized.PredictProbability([1]) < 0.01 && penalized.PredictProbability([8]) > 0.99);
    }

    [Fact]
    public void BadInputIsNamed()
    {
        double[] x = [1, 2, 3, double.NaN, 5, 6];
        var e = Assert.Throws<DataValidationException>(() => new LogisticRegressionLearner().Fit(new TrainingSet(new FeatureMatrix(x, 3, 2, ["a", "b"]), new double[] { 0, 1, 0 })));
        Assert.Equal("b", e.ColumnName);
        Assert.Equal(1, e.Row);
        Assert.Contains("tree learner", e.Message);
        var oneClass = Assert.Throws<DataValidationException>(() => new LogisticRegressionLearner().Fit(new TrainingSet(new FeatureMatrix([1.0, 2, 3], 3, 1), new double[] { 1, 1, 1 })));
        Assert.Contains("both classes", oneClass.Message);
        var weightedOut = Assert.Throws<DataValidationException>(() => new LogisticRegressionLearner().Fit(new TrainingSet(new FeatureMatrix([1.0, 2, 3], 3, 1), new double[] { 1, 0, 1 }) { Weights = new double[] { 1, 0, 1 } }));
        Assert.Contains("positive weight", weightedOut.Message);
    }

    [Fact]
    public void SaveAndLoadGiveIdenticalPredictionsAndBytes()
    {
        var (data, x, _, _) = Binary(300, [1, -0.5, 0.25], seed: 25);
        var model = new LogisticRegressionLearner().FitModel(data);
        var bytes = Save(model);
        var loaded = (LogisticRegressionModel)ModelArchive.Load(new MemoryStream(bytes), out _);
        Assert.Equal(bytes, Save(loaded));
        for (var i = 0; i < 300; i += 7)
            Assert.Equal(BitConverter.DoubleToInt64Bits(model.PredictProbability(x.AsSpan(3 * i, 3))), BitConverter.DoubleToInt64Bits(loaded.PredictProbability(x.AsSpan(3 * i, 3))));
    }
}
