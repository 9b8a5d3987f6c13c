using Microsoft.ML.Causal.Data;
using Microsoft.ML.Causal.Segmentation.CoarsePersonalization;
using Microsoft.ML.Causal.Simulation;
using Xunit.Abstractions;

namespace Microsoft.ML.Causal.Segmentation.Tests.CoarsePersonalization;

public class PromotionSimulationTests(ITestOutputHelper output)
{
    [Fact]
    public void TheSameSeedGivesTheSameCustomersAndTheTruthIsRelativeToNoPromotion()
    {
        var a = PromotionSimulation.Generate(500, seed: 4);
        var b = PromotionSimulation.Generate(500, seed: 4);
        Assert.Equal(a.TrueIncrementalProfit.ToArray(), b.TrueIncrementalProfit.ToArray());
        Assert.Equal(a.Profit, b.Profit);
        Assert.Equal(a.Covariates.ToArray(), b.Covariates.ToArray());
        Assert.NotEqual(a.Profit, PromotionSimulation.Generate(500, seed: 5).Profit);
        Assert.Equal(11, a.LevelCount);
        Assert.Equal(0.5, a.Levels[^1], 12);
        for (var i = 0; i < a.RowCount; i++)
            Assert.Equal(0, a.TrueProfit(i, 0));
        var view = a.ToDataView();
        Assert.Equal(500, view.RowCount);
        // gross_profit is the profit before the promotion cost: 0 without a purchase, profit + c when promoted.
        var gross = view.GetColumn<double>("gross_profit").Span;
        for (var i = 0; i < a.RowCount; i++)
        {
            Assert.Equal(a.Profit[i] + (a.AssignedLevel[i] > 0 ? a.PromotionCost : 0), gross[i], 9);
            Assert.Equal(a.Purchase[i], gross[i] > 0);
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => PromotionSimulation.Generate(10, levels: 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => PromotionSimulation.Generate(10, maximumDiscount: 1));
    }

    [Fact]
    public void ObservedProfitPerLevelMatchesTheTruthAndTheShapesDifferMaterially()
    {
        var e = PromotionSimulation.Generate(60_000, seed: 1);
        var m = e.LevelCount;
        var sum = new double[m];
        var square = new double[m];
        var truth = new double[m];
        var count = new int[m];
        for (var i = 0; i < e.RowCount; i++)
        {
            var level = e.AssignedLevel[i];
            count[level]++;
            sum[level] += e.Profit[i];
            square[level] += e.Profit[i] * e.Profit[i];
            truth[level] += e.BaselineProfit[i] + e.TrueProfit(i, level);
        }
        for (var j = 0; j < m; j++)
        {
            var mean = sum[j] / count[j];
            var se = Math.Sqrt((square[j] / count[j] - mean * mean) / count[j]);
            Assert.True(Math.Abs(mean - truth[j] / count[j]) < 4 * se, $"level {j}: observed {mean}, true {truth[j] / count[j]} (SE {se})");
        }
        var profits = new ProfitMatrix(e.TrueIncrementalProfit, e.RowCount, m);
        var full = CoarseBaselines.FullPersonalization(profits);
        var single = CoarseEvaluation.Score(profits, CoarseBaselines.BestSingleLevel(profits));
        output.WriteLine(FormattableString.Invariant(
            $"best single level {e.Levels[CoarseBaselines.BestSingleLevel(profits).Levels[0]]:P0} keeps {single.Ratio:P2} of full personalization ({single.FullProfit:F0}); best-level shares: ")
            + string.Join(", ", full.Levels.Select((l, s) => FormattableString.Invariant($"{e.Levels[l]:P0} {full.Shares[s]:P1}"))));
        Assert.InRange(single.Ratio, 0.5, 0.9);
        Assert.True(full.Levels.Count >= 6);
        Assert.True(full.Shares.Max() < 0.5);
    }
}
