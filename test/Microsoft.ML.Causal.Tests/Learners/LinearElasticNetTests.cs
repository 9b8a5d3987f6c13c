using Microsoft.ML.Causal.Learners;
using Microsoft.ML.Causal.Learners.Linear;
using Microsoft.ML.Causal.Persistence;
using static Microsoft.ML.Causal.Tests.Learners.LinearTestData;

namespace Microsoft.ML.Causal.Tests.Learners;

public class LinearElasticNetTests
{
    private static readonly double[] Sparse = [1.5, 0, 0, -1, 0, 0, 0.8, 0];

    /// <summary>Standardized gradient of the smooth part, −(1/Σw) Σ w x̃_ij r_i, the intercept's Σ w r / Σw, and λ_max — all computed here from the raw data.</summary>
    private static (double[] Gradient, double InterceptGradient, double[] Standardized, double LambdaMax) Kkt(double[] x, double[] y, double[] w, int p, LinearRegressionModel m, double alpha)
    {
        var sw = w.Sum();
        var ybar = y.Select((v, i) => w[i] * v).Sum() / sw;
        var moments = Enumerable.Range(0, p).Select(j => Moments(x, p, j, w)).ToArray();
        var gradient = new double[p];
        var top = new double[p];
        double interceptGradient = 0;
        for (var i = 0; i < y.Length; i++)
        {
            var r = y[i] - m.Predict(x.AsSpan(i * p, p));
            interceptGradient += w[i] * r / sw;
            for (var j = 0; j < p; j++)
            {
                var xs = (x[i * p + j] - moments[j].Mean) / moments[j].Sd;
                gradient[j] -= w[i] * xs * r / sw;
                top[j] += w[i] * xs * (y[i] - ybar) / sw;
            }
        }
        var standardized = Enumerable.Range(0, p).Select(j => m.Coefficients[j] * moments[j].Sd).ToArray();
        return (gradient, interceptGradient, standardized, top.Max(Math.Abs) / alpha);
    }

    [Theory]
    [InlineData(1.0, 0.1)]
    [InlineData(0.5, 0.05)]
    [InlineData(0.2, 0.01)]
    public void TheSolutionSatisfiesTheKktConditions(double alpha, double shareOfLambdaMax)
    {
        var (data, x, y, w) = Regression(120, Sparse, seed: 11, weighted: true);
        var (_, _, _, lambdaMax) = Kkt(x, y, w, 8, new LinearRegressionModel(data.Features.ColumnNames, 0, new double[8], 0, 0, null), alpha);
        var lambda = shareOfLambdaMax * lambdaMax;
        var model = new ElasticNetRegressionLearner(new ElasticNetOptions { Alpha = alpha, Lambda = lambda, Tolerance = 1e-13 }).FitModel(data);
        var (g, g0, beta, _) = Kkt(x, y, w, 8, model, alpha);
        Assert.True(Math.Abs(g0) < 1e-10, $"intercept gradient {g0}");
        var active = 0;
        for (var j = 0; j < 8; j++)
        {
            if (beta[j] != 0)
            {
                active++;
                var stationarity = g[j] + lambda * (1 - alpha) * beta[j] + lambda * alpha * Math.Sign(beta[j]);
                Assert.True(Math.Abs(stationarity) <= 1e-6 * lambda, $"column {j}: {stationarity} (λ = {lambda})");
            }
            else
            {
                Assert.True(Math.Abs(g[j]) <= lambda * alpha * (1 + 1e-6), $"column {j}: |{g[j]}| > λα = {lambda * alpha}");
            }
        }
        Assert.InRange(active, 1, 7);
    }

    [Fact]
    public void EveryCoefficientIsZeroAtLambdaMaxAndNotJustBelow()
    {
        var (data, x, y, w) = Regression(80, Sparse, seed: 12, weighted: true);
        var (_, _, _, lambdaMax) = Kkt(x, y, w, 8, new LinearRegressionModel(data.Features.ColumnNames, 0, new double[8], 0, 0, null), 0.8);
        var options = new ElasticNetOptions { Alpha = 0.8, Tolerance = 1e-12 };
        var at = new ElasticNetRegressionLearner(options with { Lambda = lambdaMax * (1 + 1e-9) }).FitModel(data);
        Assert.All(at.Coefficients, c => Assert.Equal(0, c));
        Assert.Equal(y.Select((v, i) => w[i] * v).Sum() / w.Sum(), at.Intercept, 12);
        var below = new ElasticNetRegressionLearner(options with { Lambda = lambdaMax * 0.99 }).FitModel(data);
        Assert.Equal(1, below.Coefficients.Count(c => c != 0));
        var path = new ElasticNetRegressionLearner(options).FitPath(data, crossValidate: false);
        Assert.Equal(lambdaMax, path.Lambdas[0], 1e-12 * lambdaMax);
        Assert.All(path.Coefficients[0], c => Assert.Equal(0, c));
        Assert.Null(path.CrossValidationErrors);
    }

    [Fact]
    public void AlphaZeroIsTheRidgeOfLeastSquaresWithTheSameLambda()
    {
        var (data, _, _, _) = Regression(60, Sparse, seed: 13, weighted: true);
        var net = new ElasticNetRegressionLearner(new ElasticNetOptions { Alpha = 0, Lambda = 0.3, Tolerance = 1e-14 }).FitModel(data);
        var ridge = new LeastSquaresRegressionLearner(new LeastSquaresOptions { L2Regularization = 0.3 }).FitModel(data);
        Assert.Equal(ridge.Intercept, net.Intercept, 10);
        for (var j = 0; j < 8; j++)
            Assert.Equal(ridge.Coefficients[j], net.Coefficients[j], 10);
    }

    [Fact]
    public void IntegerWeightsEqualDuplicatedRowsAtAFixedLambda()
    {
        var (data, x, y, w) = Regression(50, Sparse, seed: 14, weighted: true);
        var dx = new List<double>();
        var dy = new List<double>();
        for (var i = 0; i < y.Length; i++)
        {
            for (var k = 0; k < w[i]; k++)
            {
                dx.AddRange(x.AsSpan(8 * i, 8).ToArray());
                dy.Add(y[i]);
            }
        }
        var learner = new ElasticNetRegressionLearner(new ElasticNetOptions { Alpha = 0.9, Lambda = 0.05, Tolerance = 1e-13 });
        var weighted = learner.FitModel(data);
        var duplicated = learner.FitModel(new TrainingSet(new FeatureMatrix(dx.ToArray(), dy.Count, 8), dy.ToArray()));
        Assert.Equal(duplicated.Intercept, weighted.Intercept, 10);
        for (var j = 0; j < 8; j++)
            Assert.Equal(duplicated.Coefficients[j], weighted.Coefficients[j], 10);
    }

    [Fact]
    public void TheLassoRecoversASparseTruth()
    {
        // Noise σ = 1, n = 2000, p = 8 independent features. At λ = 2σ√(2 ln p / n) the noise correlations
        // (1/n) x̃ᵀε ~ N(0, σ²/n) stay below λ with high probability, so the null coefficients are exactly 0;
        // an active coefficient is shrunk by at most λ on the standardized scale, plus 4 standard errors of noise.
        const int n = 2000, p = 8;
        var (data, x, _, w) = Regression(n, Sparse, seed: 15);
        var lambda = 2 * Math.Sqrt(2 * Math.Log(p) / n);
        var model = new ElasticNetRegressionLearner(new ElasticNetOptions { Lambda = lambda }).FitModel(data);
        for (var j = 0; j < p; j++)
        {
            var sd = Moments(x, p, j, w).Sd;
            if (Sparse[j] == 0)
                Assert.Equal(0, model.Coefficients[j]);
            else
                Assert.InRange(model.Coefficients[j], Sparse[j] - (lambda + 4 / Math.Sqrt(n)) / sd, Sparse[j] + (lambda + 4 / Math.Sqrt(n)) / sd);
        }
    }

    [Fact]
    public void CrossValidationPicksTheLambdaWithTheSmallestErrorAndIsSeeded()
    {
        var (data, _, _, _) = Regression(300, Sparse, seed: 16, weighted: true);
        var learner = new ElasticNetRegressionLearner(new ElasticNetOptions { Alpha = 0.7, PathLength = 40, Seed = 3 });
        var path = learner.FitPath(data);
        Assert.Equal(40, path.Lambdas.Count);
        Assert.True(path.Lambdas.Zip(path.Lambdas.Skip(1)).All(t => t.First > t.Second));
        var errors = path.CrossValidationErrors!;
        Assert.Equal(errors.Min(), errors[path.SelectedIndex]);
        Assert.InRange(path.SelectedIndex, 1, 39);
        var model = learner.FitModel(data, new FitContext { Seed = 99 });   // the option's seed wins
        Assert.Equal(path.SelectedLambda, model.Lambda);
        Assert.Equal(path.Coefficients[path.SelectedIndex], model.Coefficients);
        Assert.Equal(errors, learner.FitPath(data, new FitContext { MaxDegreeOfParallelism = 1 }).CrossValidationErrors);
    }

    [Fact]
    public void BadInputIsNamed()
    {
        double[] x = [1, 2, 3, 4, 5, double.PositiveInfinity, 7, 8];
        var e = Assert.Throws<DataValidationException>(() => new ElasticNetRegressionLearner(new ElasticNetOptions { Lambda = 0.1 }).Fit(new TrainingSet(new FeatureMatrix(x, 4, 2, ["a", "b"]), new double[] { 1, 2, 3, 4 })));
        Assert.Equal("b", e.ColumnName);
        Assert.Equal(2, e.Row);
        var few = Assert.Throws<DataValidationException>(() => new ElasticNetRegressionLearner().Fit(new TrainingSet(new FeatureMatrix([1.0, 2, 3], 3, 1), new double[] { 1, 2, 4 })));
        Assert.Contains("3 rows", few.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ElasticNetRegressionLearner(new ElasticNetOptions { Alpha = 1.5 }).Fit(new TrainingSet(new FeatureMatrix([1.0, 2], 2, 1), new double[] { 1, 2 })));
    }

    [Fact]
    public void SaveAndLoadGiveIdenticalPredictionsAndBytes()
    {
        var (data, x, _, _) = Regression(200, Sparse, seed: 17);
        var model = new ElasticNetRegressionLearner(new ElasticNetOptions { Alpha = 0.5, PathLength = 20 }).FitModel(data);
        var bytes = Save(model);
        var loaded = (LinearRegressionModel)ModelArchive.Load(new MemoryStream(bytes), out _);
        Assert.Equal(bytes, Save(loaded));
        Assert.Equal(model.Lambda, loaded.Lambda);
        Assert.Equal(0.5, loaded.Alpha);
        Assert.Null(loaded.Covariance);
        for (var i = 0; i < 200; i += 11)
            Assert.Equal(BitConverter.DoubleToInt64Bits(model.Predict(x.AsSpan(8 * i, 8))), BitConverter.DoubleToInt64Bits(loaded.Predict(x.AsSpan(8 * i, 8))));
    }
}
