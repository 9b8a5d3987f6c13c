using Microsoft.ML.Causal.Segmentation.CoarsePersonalization;
using Microsoft.ML.Causal.Simulation;

namespace Microsoft.ML.Causal.Segmentation.Tests.CoarsePersonalization;

/// <summary>Small seeded profit matrices for the exactness tests.</summary>
internal static class ProfitInstances
{
    /// <summary>Rows of the promotions simulator (its true incremental profits) with a random size and grid.</summary>
    public static ProfitMatrix Simulated(Random random)
    {
        var n = random.Next(40, 300);
        var m = random.Next(6, 15);
        var e = PromotionSimulation.Generate(n, seed: random.Next(), levels: m, maximumDiscount: 0.3 + 0.4 * random.NextDouble());
        return new ProfitMatrix(e.TrueIncrementalProfit, n, m);
    }

    /// <summary>Unstructured: independent standard normal profits.</summary>
    public static ProfitMatrix Gaussian(Random random)
    {
        var n = random.Next(20, 200);
        var m = random.Next(5, 13);
        var values = new double[n * m];
        for (var v = 0; v < values.Length; v++)
            values[v] = Normal(random);
        return new ProfitMatrix(values, n, m);
    }

    /// <summary>Clustered preferences: a few latent response curves plus person effects and noise.</summary>
    public static ProfitMatrix Clustered(Random random)
    {
        var n = random.Next(30, 250);
        var m = random.Next(6, 14);
        var groups = random.Next(2, 7);
        var curves = new double[groups * m];
        for (var v = 0; v < curves.Length; v++)
            curves[v] = 2 * Normal(random);
        var values = new double[n * m];
        for (var i = 0; i < n; i++)
        {
            var g = random.Next(groups);
            var shift = Normal(random);
            for (var j = 0; j < m; j++)
                values[i * m + j] = shift + curves[g * m + j] + 0.5 * Normal(random);
        }
        return new ProfitMatrix(values, n, m);
    }

    /// <summary>Increasing differences in (θ, t): πᵢ(t_j) = aᵢ + θᵢ·u_j + v_j with u increasing; returns θ as well.</summary>
    public static (ProfitMatrix Profits, double[] Types) SingleCrossing(Random random)
    {
        var n = random.Next(20, 150);
        var m = random.Next(5, 12);
        var u = new double[m];
        var v = new double[m];
        for (var j = 1; j < m; j++)
            u[j] = u[j - 1] + 0.1 + random.NextDouble();
        for (var j = 0; j < m; j++)
            v[j] = -0.5 * u[j] * u[j] + Normal(random);
        var types = new double[n];
        var values = new double[n * m];
        for (var i = 0; i < n; i++)
        {
            types[i] = u[m - 1] * random.NextDouble();
            var a = Normal(random);
            for (var j = 0; j < m; j++)
                values[i * m + j] = a + types[i] * u[j] + v[j];
        }
        return (new ProfitMatrix(values, n, m), types);
    }

    public static double Normal(Random random) => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
