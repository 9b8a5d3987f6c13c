using Microsoft.ML.Causal.Data;
using Microsoft.ML.Causal.Simulation;

namespace Microsoft.ML.Causal.Tests.Simulation;

/// <summary>The seller-coaching simulation: seeded, its truth as documented, and its table.</summary>
public class SellerSimulationTests
{
    private static readonly SellerExperiment Sellers = SellerSimulation.Generate(40_000, seed: 8);

    [Fact]
    public void TheSameSeedGivesTheSameSellersAndAnotherSeedOthers()
    {
        var again = SellerSimulation.Generate(40_000, seed: 8);
        Assert.Equal(Sellers.GmvGrowth, again.GmvGrowth);
        Assert.Equal(Sellers.GmvTier, again.GmvTier);
        Assert.NotEqual(Sellers.GmvGrowth, SellerSimulation.Generate(40_000, seed: 9).GmvGrowth);
    }

    [Fact]
    public void TheEffectsAverageAsDocumentedWithinFourStandardErrors()
    {
        AssertMean(Sellers.TrueEffect, 6.0, "all sellers");
        double[] tierEffects = [18, 7, -2, 0];
        for (var t = 0; t < 4; t++)
        {
            var tier = SellerSimulation.Tiers[t];
            AssertMean(Enumerable.Range(0, Sellers.RowCount).Where(i => Sellers.GmvTier[i] == tier).Select(i => Sellers.TrueEffect[i]).ToArray(), tierEffects[t], tier);
        }
        AssertMean(Sellers.Coaching.Select(c => c ? 1.0 : 0.0).ToArray(), 0.5, "coached share");
        // Some sellers lose from coaching (established and top), so targeting can beat coaching everyone.
        Assert.InRange(Sellers.TrueEffect.Count(t => t < 0) / (double)Sellers.RowCount, 0.2, 0.4);
    }

    [Fact]
    public void EveryRowsTrueEffectIsTheDocumentedFunctionOfItsCovariates()
    {
        for (var i = 0; i < 200; i++)
            Assert.Equal(SellerSimulation.TrueEffect(Sellers.GmvTier[i], Sellers.ResponseHours[i]), Sellers.TrueEffect[i], 12);
        Assert.Throws<ArgumentException>(() => SellerSimulation.TrueEffect("huge", 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => SellerSimulation.TrueEffect("new", 0));
    }

    [Fact]
    public void TheTableHoldsTheCovariatesTreatmentOutcomeAndTruth()
    {
        var view = SellerSimulation.Generate(50, seed: 1).ToDataView();
        Assert.Equal(50, view.RowCount);
        Assert.Equal(ColumnType.Text, view.Schema["gmv_tier"].Type);
        Assert.Equal(ColumnType.Text, view.Schema["category"].Type);
        Assert.Equal(ColumnType.Boolean, view.Schema["coaching"].Type);
        Assert.Equal(ColumnType.Double, view.Schema["gmv_growth"].Type);
        Assert.Equal(ColumnType.Double, view.Schema["true_effect"].Type);
        foreach (var name in SellerExperiment.CovariateColumns)
            Assert.True(view.Schema.TryGetColumn(name, out _), name);
        Assert.Throws<ArgumentOutOfRangeException>(() => SellerSimulation.Generate(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => SellerSimulation.Generate(10, noise: double.NaN));
    }

    private static void AssertMean(IReadOnlyList<double> values, double expected, string what)
    {
        var mean = values.Average();
        var sd = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
        var se = sd / Math.Sqrt(values.Count);
        Assert.True(Math.Abs(mean - expected) <= 4 * se, $"{what}: mean {mean:F3}, expected {expected} (SE {se:F3})");
    }
}
