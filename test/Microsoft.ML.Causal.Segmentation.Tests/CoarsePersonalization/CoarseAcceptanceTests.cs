using System.Globalization;
using Microsoft.ML.Causal.Segmentation.CoarsePersonalization;
using Microsoft.ML.Causal.Simulation;
using Xunit.Abstractions;

namespace Microsoft.ML.Causal.Segmentation.Tests.CoarsePersonalization;

/// <summary>Issue 6's acceptance criteria on the promotions simulator with the true profits.</summary>
public class CoarseAcceptanceTests(ITestOutputHelper output)
{
    private static readonly Lazy<(PromotionExperiment Experiment, ProfitMatrix Truth)> Simulated = new(() =>
    {
        var experiment = PromotionSimulation.Generate(8_000, seed: 3);
        return (experiment, new ProfitMatrix(experiment.TrueIncrementalProfit, experiment.RowCount, experiment.LevelCount));
    });

    [Fact]
    public void CoarseBeatsEveryBaselineAtEveryKAndKeeps995PercentAtFive()
    {
        var (experiment, truth) = Simulated.Value;
        var lloyd = new LloydSolver(new LloydOptions { Seed = 6 });
        var grid = CoarseBaselines.EvenGrid(truth.LevelCount, 6);
        var methods = new (string Name, Func<int, CoarsePolicy> Solve)[]
        {
            ("Lloyd", k => lloyd.Solve(truth, k)),
            ("CovariateKMeans", k => CoarseBaselines.CovariateKMeans(truth, experiment.Covariates.Span, PromotionSimulation.CovariateColumns.Count, k, seed: 1)),
            ("ResponseKMeans", k => CoarseBaselines.ResponseKMeans(truth, k, seed: 1)),
            ("PrespecifiedGrid", k => CoarseBaselines.PrespecifiedGrid(truth, k, grid)),
        };
        var curves = methods.Select(m => CoarseEvaluation.Curve(truth, 10, m.Solve)).ToArray();
        var single = CoarseEvaluation.Score(truth, CoarseBaselines.BestSingleLevel(truth));
        var full = CoarseEvaluation.Score(truth, CoarseBaselines.FullPersonalization(truth));
        output.WriteLine($"best single: profit {single.Profit:F0}, ratio {single.Ratio:P2}; full: {full.Profit:F0} with {full.LevelCount} levels");
        for (var k = 1; k <= 10; k++)
            output.WriteLine($"K={k,2} " + string.Join("  ", methods.Select((m, j) =>
                string.Create(CultureInfo.InvariantCulture, $"{m.Name} {curves[j][k - 1].Ratio:P2}/{curves[j][k - 1].Recovery:P1}"))));
        Assert.True(curves[0][4].Ratio >= 0.995, $"Lloyd keeps {curves[0][4].Ratio:P3} of full personalization at K = 5.");
        for (var k = 1; k <= 10; k++)
        {
            for (var j = 1; j < methods.Length; j++)
                Assert.True(curves[0][k - 1].Profit >= curves[j][k - 1].Profit, $"K = {k}: Lloyd {curves[0][k - 1].Profit} < {methods[j].Name} {curves[j][k - 1].Profit}.");
            Assert.True(curves[0][k - 1].Profit >= single.Profit);
        }
        for (var k = 3; k <= 5; k++)
            Assert.True(curves[0][k - 1].Profit > curves[1][k - 1].Profit, $"K = {k}: Lloyd does not beat covariate k-means.");
    }
}
