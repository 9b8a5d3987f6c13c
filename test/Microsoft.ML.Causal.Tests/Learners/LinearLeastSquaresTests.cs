using Microsoft.ML.Causal.Learners;
using Microsoft.ML.Causal.Learners.Linear;
using Microsoft.ML.Causal.Persistence;
using static Microsoft.ML.Causal.Tests.Learners.LinearTestData;

namespace Microsoft.ML.Causal.Tests.Learners;

public class LinearLeastSquaresTests
{
    /// <summary>(ZᵀWZ)⁻¹ ZᵀWy with Z = [1, X], by Gauss–Jordan, and the HC1 sandwich with plain loops.</summary>
    private static (double[] Theta, double[,] Hc1) Reference(double[] x, double[] y, double[] w, int p)
    {
        var n = y.Length;
        var k = p + 1;
        var zwz = new double[k, k];
        var zwy = new double[k];
        double[] Z(int i) => [1, .. x.AsSpan(i * p, p).ToArray()];
        for (var i = 0; i < n; i++)
        {
            var z = Z(i);
            for (var a = 0; a < k; a++)
            {
                zwy[a] += w[i] * z[a] * y[i];
                for (var b = 0; b < k; b++)
                    zwz[a, b] += w[i] * z[a] * z[b];
            }
        }
        var theta = Solve(zwz, zwy);
        var meat = new double[k, k];
        for (var i = 0; i < n; i++)
        {
            var z = Z(i);
            var e = y[i];
            for (var a = 0; a < k; a++)
                e -= z[a] * theta[a];
            for (var a = 0; a < k; a++)
            {
                for (var b = 0; b < k; b++)
                    meat[a, b] += w[i] * w[i] * e * e * z[a] * z[b];
            }
        }
        var bread = Inverse(zwz);
        var v = new double[k, k];
        var positive = w.Count(v => v > 0);
        for (var a = 0; a < k; a++)
        {
            for (var b = 0; b < k; b++)
            {
                double s = 0;
                for (var c = 0; c < k; c++)
                {
                    for (var d = 0; d < k; d++)
                        s += bread[a, c] * meat[c, d] * bread[d, b];
                }
                v[a, b] = (double)positive / (positive - k) * s;
            }
        }
        return (theta, v);
    }

    [Fact]
    public void OrdinaryLeastSquaresSolvesTheNormalEquations()
    {
        var (data, x, y, w) = Regression(40, [2, -1, 0.5], seed: 1, weighted: true);
        var model = new LeastSquaresRegressionLearner().FitModel(data);
        var (theta, _) = Reference(x, y, w, 3);
        Assert.Equal(theta[0], model.Intercept, 9);
        for (var j = 0; j < 3; j++)
            Assert.Equal(theta[1 + j], model.Coefficients[j], 9);
        Assert.Equal(theta[0] + theta[1] * x[0] + theta[2] * x[1] + theta[3] * x[2], model.Predict(x.AsSpan(0, 3)), 9);
    }

    [Fact]
    public void AFiveRowExampleByHand()
    {
        // y = 1 + 2x exactly except the last row: OLS slope = Sxy / Sxx on centered data.
        double[] x = [0, 1, 2, 3, 4];
        double[] y = [1, 3, 5, 7, 10];
        var model = new LeastSquaresRegressionLearner().FitModel(new TrainingSet(new FeatureMatrix(x, 5, 1), y));
        // x̄ = 2, ȳ = 5.2, Sxy = (−2)(−4.2) + (−1)(−2.2) + 0 + (1)(1.8) + (2)(4.8) = 22, Sxx = 10.
        Assert.Equal(2.2, model.Coefficients[0], 12);
        Assert.Equal(5.2 - 2.2 * 2, model.Intercept, 12);
    }

    [Fact]
    public void IntegerWeightsEqualDuplicatedRows()
    {
        var (data, x, y, w) = Regression(60, [1, 3], seed: 2, weighted: true);
        var weighted = new LeastSquaresRegressionLearner().FitModel(data);
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
        var duplicated = new LeastSquaresRegressionLearner().FitModel(new TrainingSet(new FeatureMatrix(dx.ToArray(), dy.Count, 2), dy.ToArray()));
        Assert.Equal(duplicated.Intercept, weighted.Intercept, 10);
        for (var j = 0; j < 2; j++)
            Assert.Equal(duplicated.Coefficients[j], weighted.Coefficients[j], 10);
    }

    [Fact]
    public void Hc1CovarianceMatchesTheSandwichComputedByHand()
    {
        var (data, x, y, w) = Regression(12, [0.5, -2], seed: 3, weighted: true, heteroskedastic: true);
        var model = new LeastSquaresRegressionLearner().FitModel(data);
        var (_, v) = Reference(x, y, w, 2);
        var cov = model.Covariance!;
        for (var a = 0; a < 3; a++)
        {
            for (var b = 0; b < 3; b++)
                Assert.Equal(v[a, b], cov[a, b], 1e-9 * Math.Sqrt(v[a, a] * v[b, b]));
            Assert.Equal(Math.Sqrt(v[a, a]), model.StandardErrors![a], 1e-9 * Math.Sqrt(v[a, a]));
        }
    }

    [Fact]
    public void EstimatesLieWithinFourRobustStandardErrorsOfTheTruth()
    {
        double[] beta = [2, -1, 0.5];
        var (data, _, _, _) = Regression(2000, beta, seed: 4, heteroskedastic: true);
        var model = new LeastSquaresRegressionLearner().FitModel(data);
        // |β̂ − β| ≤ 4 SE fails with probability 6e-5 per coefficient under normality.
        Assert.InRange(model.Intercept, 1 - 4 * model.StandardErrors![0], 1 + 4 * model.StandardErrors[0]);
        for (var j = 0; j < 3; j++)
            Assert.InRange(model.Coefficients[j], beta[j] - 4 * model.StandardErrors[1 + j], beta[j] + 4 * model.StandardErrors[1 + j]);
    }

    [Fact]
    public void RidgeSolvesThePenalizedNormalEquationsOnTheOriginalScale()
    {
        var (data, x, y, w) = Regression(50, [2, -1, 0.5], seed: 5, weighted: true);
        const double lambda = 0.7;
        var model = new LeastSquaresRegressionLearner(new LeastSquaresOptions { L2Regularization = lambda }).FitModel(data);
        Assert.Null(model.Covariance);
        Assert.Equal(lambda, model.Lambda);
        // (X_cᵀ W X_c + λ Σw D²) β = X_cᵀ W y_c with D = diag(weighted sd), and b0 = ȳ − x̄ᵀβ.
        var sw = w.Sum();
        var ybar = y.Select((v, i) => w[i] * v).Sum() / sw;
        var moments = Enumerable.Range(0, 3).Select(j => Moments(x, 3, j, w)).ToArray();
        var lhs = new double[3];
        var rhs = new double[3];
        for (var i = 0; i < y.Length; i++)
        {
            for (var a = 0; a < 3; a++)
            {
                var xa = x[i * 3 + a] - moments[a].Mean;
                rhs[a] += w[i] * xa * (y[i] - ybar);
                for (var b = 0; b < 3; b++)
                    lhs[a] += w[i] * xa * (x[i * 3 + b] - moments[b].Mean) * model.Coefficients[b];
            }
        }
        var scale = rhs.Max(Math.Abs);
        for (var a = 0; a < 3; a++)
            Assert.Equal(rhs[a], lhs[a] + lambda * sw * moments[a].Sd * moments[a].Sd * model.Coefficients[a], 1e-10 * scale);
        Assert.Equal(ybar - Enumerable.Range(0, 3).Sum(j => moments[j].Mean * model.Coefficients[j]), model.Intercept, 10);
    }

    /// <summary>30 rows of age and income with a third column score = 2·age − income + 5 (a combination of the others and the constant).</summary>
    private static (TrainingSet Data, double[] Y, FeatureMatrix Features) CollinearScore()
    {
        var (data, x, y, _) = Regression(30, [1, 2], seed: 6);
        var z = new double[30 * 3];
        for (var i = 0; i < 30; i++)
        {
            z[3 * i] = x[2 * i];
            z[3 * i + 1] = x[2 * i + 1];
            z[3 * i + 2] = 2 * x[2 * i] - x[2 * i + 1] + 5;
        }
        return (data, y, new FeatureMatrix(z, 30, 3, ["age", "income", "score"]));
    }

    [Fact]
    public void CollinearColumnsAreNamedAndRidgeStillFits()
    {
        var (data, y, features) = CollinearScore();
        var e = Assert.Throws<DataValidationException>(() => new LeastSquaresRegressionLearner().Fit(new TrainingSet(features, y)));
        Assert.Equal("score", e.ColumnName);
        Assert.Contains("'age'", e.Message);
        Assert.Contains("'income'", e.Message);
        Assert.Contains("L2Regularization", e.Message);
        var ridge = new LeastSquaresRegressionLearner(new LeastSquaresOptions { L2Regularization = 0.1 }).FitModel(new TrainingSet(features, y));
        Assert.All(ridge.Coefficients, c => Assert.True(double.IsFinite(c)));
    }

    [Fact]
    public void DroppingCollinearColumnsGivesTheFitWithoutThemAndLogsThem()
    {
        var (data, y, features) = CollinearScore();
        var messages = new List<string>();
        var dropping = new LeastSquaresRegressionLearner(new LeastSquaresOptions { DropCollinearColumns = true })
            .FitModel(new TrainingSet(features, y), new FitContext { Log = (_, _, m) => messages.Add(m) });
        var plain = new LeastSquaresRegressionLearner().FitModel(data);
        Assert.Equal(0, dropping.Coefficients[2]);
        Assert.Equal(0, dropping.Covariance![3, 3]);
        Assert.Equal(plain.Intercept, dropping.Intercept, 10);
        for (var j = 0; j < 2; j++)
        {
            Assert.Equal(plain.Coefficients[j], dropping.Coefficients[j], 10);
            Assert.Equal(plain.Covariance![1 + j, 1 + j], dropping.Covariance[1 + j, 1 + j], 10);
        }
        Assert.Contains(messages, m => m.Contains("score", StringComparison.Ordinal));
    }

    [Fact]
    public void AConstantColumnGetsCoefficientZeroAndNoVariance()
    {
        var (_, x, y, _) = Regression(25, [1.5], seed: 7);
        var z = x.SelectMany(v => new[] { v, 3.0 }).ToArray();
        var model = new LeastSquaresRegressionLearner().FitModel(new TrainingSet(new FeatureMatrix(z, 25, 2), y));
        var single = new LeastSquaresRegressionLearner().FitModel(new TrainingSet(new FeatureMatrix(x, 25, 1), y));
        Assert.Equal(0, model.Coefficients[1]);
        Assert.Equal(single.Coefficients[0], model.Coefficients[0], 12);
        Assert.Equal(single.Intercept, model.Intercept, 12);
        Assert.Equal(0, model.StandardErrors![2]);
        Assert.Equal(single.StandardErrors![1], model.StandardErrors[1], 12);
    }

    [Fact]
    public void WithoutAnInterceptTheFitGoesThroughTheOrigin()
    {
        var (data, x, y, _) = Regression(30, [2], seed: 8);
        var model = new LeastSquaresRegressionLearner(new LeastSquaresOptions { FitIntercept = false }).FitModel(data);
        Assert.Equal(0, model.Intercept);
        Assert.Equal(x.Zip(y, (a, b) => a * b).Sum() / x.Sum(v => v * v), model.Coefficients[0], 10);
        Assert.Equal(0, model.StandardErrors![0]);
    }

    [Fact]
    public void BadInputIsNamed()
    {
        double[] x = [1, 2, double.NaN, 4, 5, 6, 7, 8];
        var e = Assert.Throws<DataValidationException>(() => new LeastSquaresRegressionLearner().Fit(new TrainingSet(new FeatureMatrix(x, 4, 2, ["a", "b"]), new double[] { 1, 2, 3, 4 })));
        Assert.Equal("a", e.ColumnName);
        Assert.Equal(1, e.Row);
        Assert.Contains("ReplaceMissingValues", e.Message);
        var few = Assert.Throws<DataValidationException>(() => new LeastSquaresRegressionLearner().Fit(new TrainingSet(new FeatureMatrix([1.0, 2, 3, 5, 4, 7], 3, 2), new double[] { 1, 2, 4 })));
        Assert.Contains("more rows than parameters", few.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new LeastSquaresRegressionLearner(new LeastSquaresOptions { L2Regularization = -1 }).Fit(new TrainingSet(new FeatureMatrix([1.0, 2], 2, 1), new double[] { 1, 2 })));
    }

    [Fact]
    public void SaveAndLoadGiveIdenticalPredictionsAndBytes()
    {
        var (data, x, _, _) = Regression(100, [2, -1, 0.5], seed: 9, weighted: true);
        var model = new LeastSquaresRegressionLearner().FitModel(data);
        var bytes = Save(model);
        var loaded = (LinearRegressionModel)ModelArchive.Load(new MemoryStream(bytes), out _);
        Assert.Equal(bytes, Save(loaded));
        Assert.Equal(model.Covariance, loaded.Covariance);
        for (var i = 0; i < 100; i += 7)
            Assert.Equal(BitConverter.DoubleToInt64Bits(model.Predict(x.AsSpan(3 * i, 3))), BitConverter.DoubleToInt64Bits(loaded.Predict(x.AsSpan(3 * i, 3))));
    }
}
