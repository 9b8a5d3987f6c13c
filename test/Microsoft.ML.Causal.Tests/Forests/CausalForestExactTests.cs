using MathNet.Numerics.Distributions;
using Microsoft.ML.Causal.Forests;
using Microsoft.ML.Causal.Forests.Prediction;
using Microsoft.ML.Causal.Learners;
using Microsoft.ML.Causal.Trainers;

namespace Microsoft.ML.Causal.Tests.Forests;

/// <summary>The causal forest's pieces against computations by hand: the split, the leaf statistics, τ̂ and the little-bags variance.</summary>
public class CausalForestExactTests
{
    [Fact]
    public void OneTreeWithoutHonestyChoosesTheBruteForceStabilizedSplitAndStoresExactLeafStatistics()
    {
        const int n = 60;
        var (x, y, w, weights) = ForestTestData.Small(n, 2, seed: 11);
        // Known centering: Ŷ = 0.2 and Ŵ = 0.5 for every row, so the centered values are known here.
        var options = new CausalForestOptions
        {
            Forest = new ForestOptions { NumberOfTrees = 1, CiGroupSize = 1, SampleFraction = 1, Honesty = false, PoissonFeatureDraws = false, MinNodeSize = 5 },
            OutcomeEstimates = Enumerable.Repeat(0.2, n).ToArray(),
            TreatmentEstimates = Enumerable.Repeat(0.5, n).ToArray(),
            BootstrapReplicates = 0,
        };
        var data = new CateData(x, y, TreatmentAssignment.FromValues(w)) { Weights = weights };
        var model = (CausalForestModel)new CausalForest(options).Fit(data, new FitContext { Seed = 3 });
        var tree = model.Forest.Trees[0];
        var yc = y.Select(v => v - 0.2).ToArray();
        var wc = w.Select(v => v - 0.5).ToArray();

        // Relabeling by hand.
        var sw = weights.Sum();
        var yBar = Enumerable.Range(0, n).Sum(i => weights[i] * yc[i]) / sw;
        var wBar = Enumerable.Range(0, n).Sum(i => weights[i] * wc[i]) / sw;
        var slope = Enumerable.Range(0, n).Sum(i => weights[i] * (wc[i] - wBar) * (yc[i] - yBar)) / Enumerable.Range(0, n).Sum(i => weights[i] * (wc[i] - wBar) * (wc[i] - wBar));
        var rho = Enumerable.Range(0, n).Select(i => (wc[i] - wBar) * (yc[i] - yBar - slope * (wc[i] - wBar))).ToArray();
        double Size(bool[] side, bool want)
        {
            var ws = ForestTestData.Sum(side, want, i => weights[i]);
            var mean = ForestTestData.Sum(side, want, i => weights[i] * wc[i]) / ws;
            return ForestTestData.Sum(side, want, i => weights[i] * (wc[i] - mean) * (wc[i] - mean));
        }
        var all = Enumerable.Repeat(true, n).ToArray();
        var parentSize = Size(all, true);
        var total = Enumerable.Range(0, n).Sum(i => weights[i] * rho[i]);
        var (feature, left, gain) = ForestTestData.BruteForce(x, side =>
        {
            foreach (var want in new[] { true, false })
            {
                var below = ForestTestData.Sum(side, want, i => wc[i] < wBar ? 1 : 0);
                var above = ForestTestData.Sum(side, want, i => wc[i] >= wBar ? 1 : 0);
                if (below < 5 || above < 5 || Size(side, want) < 0.05 * parentSize)
                    return double.NegativeInfinity;
            }
            var sl = ForestTestData.Sum(side, true, i => weights[i] * rho[i]);
            var wl = ForestTestData.Sum(side, true, i => weights[i]);
            return sl * sl / wl + (total - sl) * (total - sl) / (sw - wl) - total * total / sw;
        });
        var root = tree.Structure;
        Assert.Equal(feature, root.Feature[0]);
        Assert.Equal(gain, root.Gain[0], 1e-9 * gain);
        Assert.True(left.SetEquals(Enumerable.Range(0, n).Where(i => x[i, feature] <= root.Threshold[0])));

        // Leaf statistics: Σ_leaf w·(Y, W, WY, W², 1) / |leaf| on the centered values.
        for (var k = 0; k < tree.LeafCount; k++)
        {
            var m = Enumerable.Range(0, n).Where(i => tree.LeafOf(x.Row(i)) == k).ToArray();
            var stats = tree.Stats(k);
            Assert.Equal(m.Sum(i => weights[i] * yc[i]) / m.Length, stats[0], 1e-12);
            Assert.Equal(m.Sum(i => weights[i] * wc[i]) / m.Length, stats[1], 1e-12);
            Assert.Equal(m.Sum(i => weights[i] * wc[i] * yc[i]) / m.Length, stats[2], 1e-12);
            Assert.Equal(m.Sum(i => weights[i] * wc[i] * wc[i]) / m.Length, stats[3], 1e-12);
            Assert.Equal(m.Sum(i => weights[i]) / m.Length, stats[4], 1e-12);
        }
    }

    [Fact]
    public void TheEffectFromAveragedLeafStatisticsSolvesTheKernelWeightedEstimatingEquation()
    {
        // Three hand-made trees; leaf b of the point x holds the rows below, with centered (Y, W) and weights.
        double[] y = [1.0, -0.5, 2.0, 0.3, -1.2, 0.8], w = [0.5, -0.5, 0.4, -0.6, 0.5, -0.3], g = [1, 2, 0.5, 1, 1.5, 1];
        int[][] leaves = [[0, 1, 2], [1, 3], [2, 3, 4, 5]];
        var data = new ForestData(Microsoft.ML.Causal.Learners.Trees.BinnedMatrix.Build(new FeatureMatrix(new double[6], 6, 1), 255), y, w, 1, g);
        var strategy = new CausalPredictionStrategy(0);
        var average = new double[5];
        foreach (var leaf in leaves)
        {
            var stats = new double[5];
            strategy.LeafStatistics(data, leaf, stats);
            for (var k = 0; k < 5; k++)
                average[k] += stats[k] / leaves.Length;
        }
        var tau = strategy.Effect(average);
        // Kernel weights αᵢ = (1/B) Σ_b 1{i ∈ L_b}/|L_b|, then Σ αᵢgᵢ(Wᵢ − W̄)(Yᵢ − Ȳ − τ(Wᵢ − W̄)) = 0.
        var alpha = new double[6];
        foreach (var leaf in leaves)
        {
            foreach (var i in leaf)
                alpha[i] += 1.0 / leaf.Length / leaves.Length;
        }
        double sa = 0, sy = 0, sw = 0;
        for (var i = 0; i < 6; i++)
        {
            sa += alpha[i] * g[i];
            sy += alpha[i] * g[i] * y[i];
            sw += alpha[i] * g[i] * w[i];
        }
        double num = 0, den = 0;
        for (var i = 0; i < 6; i++)
        {
            num += alpha[i] * g[i] * (w[i] - sw / sa) * (y[i] - sy / sa);
            den += alpha[i] * g[i] * (w[i] - sw / sa) * (w[i] - sw / sa);
        }
        Assert.Equal(num / den, tau, 1e-12);
        // The formula on the statistics themselves: (Ē[WY]Ē[1] − Ē[W]Ē[Y]) / (Ē[W²]Ē[1] − Ē[W]²).
        Assert.Equal((average[2] * average[4] - average[1] * average[0]) / (average[3] * average[4] - average[1] * average[1]), tau, 1e-14);
        // The per-tree terms of the estimating equation average to zero at τ̂.
        var terms = leaves.Select(leaf =>
        {
            var stats = new double[5];
            strategy.LeafStatistics(data, leaf, stats);
            return CausalPredictionStrategy.TreeTerm(stats, average, tau);
        }).ToArray();
        Assert.Equal(0, terms.Average(), 1e-12);
    }

    [Theory]
    [InlineData(new[] { 1.0, 1.2, -0.8, -1.1, 0.4, 0.5, -0.3, -0.2 })] // groups agree: large between-group variance, raw > 0
    [InlineData(new[] { 1.0, -1.0, -0.9, 0.8, 0.7, -0.6, -0.5, 0.6 })] // groups disagree inside: raw < 0, the debiasing keeps V̂ > 0
    public void TheLittleBagsVarianceFollowsTheFormulaByHand(double[] terms)
    {
        const int size = 2;
        var groups = terms.Length / size;
        var between = Enumerable.Range(0, groups).Average(k => Math.Pow((terms[2 * k] + terms[2 * k + 1]) / 2, 2));
        var total = terms.Average(t => t * t);
        var noise = (total - between) / (size - 1);
        var raw = between - noise;
        var se0 = Math.Max(between, noise) * Math.Sqrt(2.0 / groups);
        var r = raw / se0;
        var expected = raw + se0 * Normal.PDF(0, 1, r) / Normal.CDF(0, 1, r);
        var actual = LittleBags.Variance(terms, size);
        Assert.Equal(expected, actual, 1e-12);
        Assert.True(actual > 0);
        // φ(r)/Φ(r) switches to its asymptotic series below −30 without a jump.
        Assert.Equal(LittleBags.MillsRatio(-29.999), LittleBags.MillsRatio(-30.001), 1e-2); // the ratio ≈ −r changes by ≈ 0.002 over the step
    }
}
