using System.Globalization;
using Microsoft.ML.Causal.Data;
using Microsoft.ML.Causal.Evaluation;
using Microsoft.ML.Causal.Segmentation.CoarsePersonalization;
using Microsoft.ML.Causal.Trainers;
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

    [Fact]
    public void WithEstimatedCatesTheHeldOutDoublyRobustValueAtFiveIsWithinItsStandardErrorOfFullPersonalization()
    {
        // Step 1 on 40 000 training customers (a multi-arm S-learner on the observed profit, 3-fold out-of-fold profits for
        // choosing the levels); the policies are applied to 20 000 held-out customers from the full model's predictions and
        // valued there by doubly robust scores with nuisances cross-fitted on the held-out customers (known propensities 1/11).
        var trainCustomers = PromotionSimulation.Generate(40_000, seed: 1);
        var heldOutCustomers = PromotionSimulation.Generate(20_000, seed: 2);
        var m = trainCustomers.LevelCount;
        var ctx = new CausalContext(2026);
        var columns = new CateColumns(Outcome: "profit", Treatment: "level") { TreatmentKind = TreatmentKind.MultiArm };
        var propensity = new PropensityOptions { ArmShares = Enumerable.Repeat(1.0 / m, m).ToArray() };
        var options = new MetaLearnerOptions { Propensity = propensity, BootstrapReplicates = 0, Folds = 3 };
        var model = ctx.Transforms.Featurize("Features", [.. PromotionSimulation.CovariateColumns]).Append(ctx.Cate.Trainers.SLearner(options, columns))
            .Fit(trainCustomers.ToDataView());
        var oof = CateProfits.CrossFit(new SLearner(options), model.Transformers[0].Transform(trainCustomers.ToDataView()), columns, folds: 3, seed: 7);
        var scored = model.Transform(heldOutCustomers.ToDataView());
        var n = scored.RowCount;
        var predicted = CateProfits.FromEffects(scored.GetColumn<double>("Cate").Span, n, model.LastTransformer.EffectNames, "0");
        var dr = ctx.Cate.ScoreDoublyRobust(scored, columns, new PolicyEvaluationOptions { Propensity = propensity, Folds = 3 });

        var five = new LloydSolver(new LloydOptions { Seed = 11 }).Solve(oof, 5).Apply(predicted);
        var full = CoarseBaselines.FullPersonalization(predicted);
        var single = CoarseBaselines.BestSingleLevel(oof).Apply(predicted);
        var v5 = CoarseEvaluation.PolicyValue(dr, five).VersusControl;
        var vFull = CoarseEvaluation.PolicyValue(dr, full).VersusControl;
        var truth = new ProfitMatrix(heldOutCustomers.TrueIncrementalProfit, n, m, predicted.LevelNames);
        var (difference, differenceSe) = PairedDifference(dr, five, full);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"K=5 {string.Join(",", five.LevelNames)}: DR {v5.Estimate:F4} ± {v5.StandardError:F4}; full ({full.Levels.Count} levels): DR {vFull.Estimate:F4} ± {vFull.StandardError:F4}; paired difference {difference:F4} ± {differenceSe:F4}"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"true profit per customer: K=5 {CoarseEvaluation.Score(truth, five).Profit / n:F4}, full {CoarseEvaluation.Score(truth, full).Profit / n:F4}, best single {CoarseEvaluation.Score(truth, single).Profit / n:F4}"));
        Assert.True(double.IsFinite(v5.StandardError) && v5.StandardError > 0);
        Assert.True(Math.Abs(v5.Estimate - vFull.Estimate) <= v5.StandardError,
            $"K = 5: {v5.Estimate:F4} ± {v5.StandardError:F4}; full personalization {vFull.Estimate:F4}.");
        // The estimated policies are not just noise: on the true profits, K = 5 gains over the best single depth.
        Assert.True(CoarseEvaluation.Score(truth, five).Profit > CoarseEvaluation.Score(truth, single).Profit);
    }

    /// <summary>The mean and SE of Γᵢ(policy a) − Γᵢ(policy b) over the scored rows (both policies on the same rows).</summary>
    private static (double Mean, double StandardError) PairedDifference(DoublyRobustScores dr, CoarsePolicy a, CoarsePolicy b)
    {
        var n = dr.RowCount;
        var d = new double[n];
        for (var i = 0; i < n; i++)
            d[i] = dr.ScoresOf(a.LevelNames[a.Segments[i]])[i] - dr.ScoresOf(b.LevelNames[b.Segments[i]])[i];
        var mean = d.Average();
        var variance = d.Sum(x => (x - mean) * (x - mean)) / (n - 1);
        return (mean, Math.Sqrt(variance / n));
    }
}
