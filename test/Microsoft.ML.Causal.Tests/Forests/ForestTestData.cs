using Microsoft.ML.Causal.Learners;
using Microsoft.ML.Causal.Numerics;

namespace Microsoft.ML.Causal.Tests.Forests;

/// <summary>Small seeded data sets and the brute-force split search the exact tests compare the engine with.</summary>
internal static class ForestTestData
{
    /// <summary>n rows of p uniform features, a noisy outcome with a step in x₁, a binary treatment, and weights in [0.5, 1.5].</summary>
    public static (FeatureMatrix X, double[] Y, double[] W, double[] Weights) Small(int n, int p, int seed)
    {
        var random = new CausalRandom(seed);
        var x = new double[n * p];
        var y = new double[n];
        var w = new double[n];
        var weights = new double[n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < p; j++)
                x[i * p + j] = Math.Round(random.NextDouble(), 3);
            w[i] = random.NextDouble() < 0.5 ? 1 : 0;
            var tau = x[i * p] > 0.5 ? 2 : -1;
            y[i] = x[i * p + 1] + tau * w[i] + 0.3 * random.NextGaussian();
            weights[i] = 0.5 + random.NextDouble();
        }
        return (new FeatureMatrix(x, n, p), y, w, weights);
    }

    /// <summary>
    /// The best root split by enumerating every feature and every distinct value v (left: x ≤ v) with a gain
    /// function of the left rows; returns the feature, the left rows and the gain.
    /// </summary>
    public static (int Feature, HashSet<int> Left, double Gain) BruteForce(FeatureMatrix x, Func<bool[], double> gain)
    {
        var n = x.RowCount;
        (int, HashSet<int>, double) best = (-1, [], double.NegativeInfinity);
        for (var j = 0; j < x.ColumnCount; j++)
        {
            var values = Enumerable.Range(0, n).Select(i => x[i, j]).Distinct().Order().ToArray();
            foreach (var v in values[..^1])
            {
                var left = Enumerable.Range(0, n).Select(i => x[i, j] <= v).ToArray();
                var g = gain(left);
                if (g > best.Item3)
                    best = (j, Enumerable.Range(0, n).Where(i => left[i]).ToHashSet(), g);
            }
        }
        return best;
    }

    /// <summary>Weighted sums over the rows where <paramref name="side"/> is true (or false when <paramref name="want"/> is false).</summary>
    public static double Sum(bool[] side, bool want, Func<int, double> f)
    {
        double s = 0;
        for (var i = 0; i < side.Length; i++)
        {
            if (side[i] == want)
                s += f(i);
        }
        return s;
    }
}
