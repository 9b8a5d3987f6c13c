using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;

namespace Microsoft.ML.Causal.Inference;

/// <summary>
/// Weighted least squares β̂ = (XᵀGX)⁻¹XᵀGy with a heteroskedasticity-robust covariance, for the forest analyses
/// (grf's <c>test_calibration</c> and <c>best_linear_projection</c>, which use sandwich's HC3). Without clusters:
/// HC3, V = B⁻¹[Σᵢ (gᵢeᵢ)² xᵢxᵢᵀ / (1 − hᵢ)²]B⁻¹ with B = XᵀGX and leverage hᵢ = gᵢxᵢᵀB⁻¹xᵢ. With clusters:
/// the cluster-robust CR1 sandwich B⁻¹[Σ_c (Σ_{i∈c} gᵢeᵢxᵢ)(·)ᵀ]B⁻¹ · C/(C − 1) · (n − 1)/(n − p) (C clusters;
/// sandwich's cluster HC3 instead rescales each cluster by its own block of the hat matrix). Rows of weight 0 drop out.
/// </summary>
internal static class RobustLeastSquares
{
    /// <summary>β̂ and its robust covariance; <paramref name="x"/> is n × p row-major, <paramref name="clusters"/> empty or one id per row.</summary>
    /// <exception cref="ArgumentException">The design is rank deficient on the rows of positive weight, or there are no more such rows than columns.</exception>
    public static (double[] Beta, double[,] Covariance) Fit(double[] x, int p, double[] y, double[] weights, int[] clusters, string component)
    {
        var n = y.Length;
        var bread = Matrix<double>.Build.Dense(p, p);
        var xy = Vector<double>.Build.Dense(p);
        var used = 0;
        for (var i = 0; i < n; i++)
        {
            var g = weights[i];
            if (g <= 0)
                continue;
            used++;
            for (var a = 0; a < p; a++)
            {
                xy[a] += g * x[i * p + a] * y[i];
                for (var b = 0; b < p; b++)
                    bread[a, b] += g * x[i * p + a] * x[i * p + b];
            }
        }
        if (used <= p)
            throw new ArgumentException($"{component}: {used} rows of positive weight for {p} coefficients; the regression needs more rows than coefficients.");
        var collinear = $"{component}: the regressors are collinear (or constant zero) on the rows used; drop a covariate that repeats another or has no variation.";
        MathNet.Numerics.LinearAlgebra.Factorization.Cholesky<double> cholesky;
        try
        {
            cholesky = bread.Cholesky();
        }
        catch (ArgumentException)
        {
            throw new ArgumentException(collinear);
        }
        for (var a = 0; a < p; a++)
        {
            var pivot = cholesky.Factor[a, a] * cholesky.Factor[a, a];
            if (!(pivot > 1e-12 * bread[a, a]))
                throw new ArgumentException(collinear);
        }
        var inverse = cholesky.Solve(Matrix<double>.Build.DenseIdentity(p));
        var beta = inverse * xy;
        var meat = Matrix<double>.Build.Dense(p, p);
        var row = Vector<double>.Build.Dense(p);
        var leverage = Vector<double>.Build.Dense(p);
        var sums = new Dictionary<int, double[]>();
        for (var i = 0; i < n; i++)
        {
            var g = weights[i];
            if (g <= 0)
                continue;
            for (var a = 0; a < p; a++)
                row[a] = x[i * p + a];
            var e = y[i] - row.DotProduct(beta);
            if (clusters.Length == 0)
            {
                inverse.Multiply(row, leverage);
                var h = g * row.DotProduct(leverage);
                var s = g * e / (1 - Math.Min(h, 1 - 1e-12));
                for (var a = 0; a < p; a++)
                {
                    for (var b = 0; b < p; b++)
                        meat[a, b] += s * s * row[a] * row[b];
                }
            }
            else
            {
                if (!sums.TryGetValue(clusters[i], out var sum))
                    sums[clusters[i]] = sum = new double[p];
                for (var a = 0; a < p; a++)
                    sum[a] += g * e * row[a];
            }
        }
        if (clusters.Length > 0)
        {
            foreach (var sum in sums.Values)
            {
                for (var a = 0; a < p; a++)
                {
                    for (var b = 0; b < p; b++)
                        meat[a, b] += sum[a] * sum[b];
                }
            }
            var c = sums.Count;
            if (c < 2)
                throw new ArgumentException($"{component}: cluster-robust standard errors need at least 2 clusters; the rows used form {c}.");
            meat *= (double)c / (c - 1) * (used - 1.0) / (used - p);
        }
        var covariance = inverse * meat * inverse;
        return (beta.ToArray(), covariance.ToArray());
    }

    /// <summary>The coefficient with its t statistic and p-value from Student's t with <paramref name="degrees"/> degrees of freedom: two-sided, or one-sided against β ≤ 0.</summary>
    public static ProjectionCoefficient Coefficient(string name, double estimate, double variance, int degrees, bool oneSided)
    {
        var se = Math.Sqrt(Math.Max(variance, 0));
        var t = se > 0 ? estimate / se : 0;
        var cdf = StudentT.CDF(0, 1, Math.Max(degrees, 1), t);
        var p = oneSided ? 1 - cdf : 2 * Math.Min(cdf, 1 - cdf);
        return new ProjectionCoefficient(name, estimate, se, t, se > 0 ? p : 1);
    }
}
