using Microsoft.ML.Causal.Learners;
using Microsoft.ML.Causal.Numerics;
using Microsoft.ML.Causal.Persistence;

namespace Microsoft.ML.Causal.Tests.Learners;

/// <summary>Shared data and independent reference computations for the linear learner tests.</summary>
internal static class LinearTestData
{
    /// <summary>n rows of p features (uniform, shifted and scaled per column), y = 1 + Σ β_j x_j + σ(x)·ε, optional integer weights 1…3.</summary>
    public static (TrainingSet Data, double[] X, double[] Y, double[] W) Regression(int n, double[] beta, int seed, bool weighted = false, bool heteroskedastic = false)
    {
        var r = new CausalRandom(seed);
        var p = beta.Length;
        var x = new double[n * p];
        var y = new double[n];
        var w = new double[n];
        for (var i = 0; i < n; i++)
        {
            double mean = 1;
            for (var j = 0; j < p; j++)
            {
                x[i * p + j] = (j + 1) * (r.NextDouble() * 2 - 1) + j;
                mean += beta[j] * x[i * p + j];
            }
            var sd = heteroskedastic ? 0.2 + Math.Abs(x[i * p]) : 1;
            y[i] = mean + sd * GradientBoostingTests.Normal(r);
            w[i] = weighted ? 1 + r.NextInt(3) : 1;
        }
        var data = new TrainingSet(new FeatureMatrix(x, n, p), y);
        return (weighted ? data with { Weights = w } : data, x, y, w);
    }

    /// <summary>Weighted mean and standard deviation (divisor Σw) of column j.</summary>
    public static (double Mean, double Sd) Moments(double[] x, int p, int j, double[] w)
    {
        double sw = 0, m = 0;
        for (var i = 0; i < w.Length; i++)
        {
            sw += w[i];
            m += w[i] * x[i * p + j];
        }
        m /= sw;
        double v = 0;
        for (var i = 0; i < w.Length; i++)
            v += w[i] * (x[i * p + j] - m) * (x[i * p + j] - m);
        return (m, Math.Sqrt(v / sw));
    }

    /// <summary>Solves A z = b by Gauss–Jordan elimination with partial pivoting (independent of the library's solvers).</summary>
    public static double[] Solve(double[,] a, double[] b)
    {
        var k = b.Length;
        var m = (double[,])a.Clone();
        var z = (double[])b.Clone();
        for (var c = 0; c < k; c++)
        {
            var pivot = c;
            for (var r = c + 1; r < k; r++)
            {
                if (Math.Abs(m[r, c]) > Math.Abs(m[pivot, c]))
                    pivot = r;
            }
            for (var t = 0; t < k; t++)
                (m[c, t], m[pivot, t]) = (m[pivot, t], m[c, t]);
            (z[c], z[pivot]) = (z[pivot], z[c]);
            for (var r = 0; r < k; r++)
            {
                if (r == c)
                    continue;
                var f = m[r, c] / m[c, c];
                for (var t = 0; t < k; t++)
                    m[r, t] -= f * m[c, t];
                z[r] -= f * z[c];
            }
        }
        for (var c = 0; c < k; c++)
            z[c] /= m[c, c];
        return z;
    }

    /// <summary>The inverse of A, column by column through <see cref="Solve"/>.</summary>
    public static double[,] Inverse(double[,] a)
    {
        var k = a.GetLength(0);
        var inv = new double[k, k];
        for (var c = 0; c < k; c++)
        {
            var e = new double[k];
            e[c] = 1;
            var col = Solve(a, e);
            for (var r = 0; r < k; r++)
                inv[r, c] = col[r];
        }
        return inv;
    }

    public static byte[] Save(ISavableModel model)
    {
        using var s = new MemoryStream();
        ModelArchive.Save(model, Microsoft.ML.Causal.Data.DataSchema.Empty, s, seed: 1);
        return s.ToArray();
    }
}
