using Microsoft.ML.Causal.Learners;
using Microsoft.ML.Causal.Segmentation.CoarsePersonalization;
using Microsoft.ML.Causal.Simulation;
using Microsoft.ML.Causal.Trainers;

namespace Microsoft.ML.Causal.Segmentation.Tests.CoarsePersonalization;

/// <summary>Profit matrices from CATE estimates: the formula, its inputs' checks, and out-of-fold cross-fitting.</summary>
public class CateProfitsTests
{
    [Fact]
    public void TheSpendFormulaReproducesTheSimulatorsObservedIncrementalProfit()
    {
        // Per level t, the mean observed profit is (m − t)·S̄ₜ − c (the simulator's definition), so the formula applied to the
        // difference in mean spend against no promotion (τ̂) and the mean spend without promotion (b̂) must give P̄ₜ − P̄₀.
        var e = PromotionSimulation.Generate(30_000, seed: 4);
        var m = e.LevelCount;
        var spend = new double[m];
        var profit = new double[m];
        var count = new int[m];
        for (var i = 0; i < e.RowCount; i++)
        {
            spend[e.AssignedLevel[i]] += e.Spend[i];
            profit[e.AssignedLevel[i]] += e.Profit[i];
            count[e.AssignedLevel[i]]++;
        }
        for (var j = 0; j < m; j++)
        {
            spend[j] /= count[j];
            profit[j] /= count[j];
        }
        var formula = new ProfitFormula { Margin = e.Margin, PromotionCost = e.PromotionCost, DiscountsOutcome = true, DepthScale = e.Levels[1] };
        var effects = Enumerable.Range(1, m - 1).Select(j => spend[j] - spend[0]).ToArray();
        var names = Enumerable.Range(1, m - 1).Select(j => j.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var matrix = CateProfits.FromEffects(effects, 1, names, "0", formula, [spend[0]]);
        Assert.Equal(["0", .. names], matrix.LevelNames);
        Assert.Equal(0, matrix[0, 0]);
        for (var j = 1; j < m; j++)
            Assert.Equal(profit[j] - profit[0], matrix[0, j], 1e-9);
    }

    [Fact]
    public void TheNetProfitFormulaIsTheEffectItselfAndMarginAndCostScaleIt()
    {
        double[] effects = [1.5, -2, 0.25, 4];
        var plain = CateProfits.FromEffects(effects, 2, ["a", "b"], "none");
        Assert.Equal(["none", "a", "b"], plain.LevelNames);
        Assert.Equal([0, 1.5, -2, 0, 0.25, 4], plain.Values.ToArray());
        var scaled = CateProfits.FromEffects(effects, 2, ["a", "b"], "none", new ProfitFormula { Margin = 0.5, PromotionCost = 1 });
        Assert.Equal([0, -0.25, -2, 0, -0.875, 1], scaled.Values.ToArray());
    }

    [Fact]
    public void BadInputsNameTheRowTheLevelOrTheMissingBaseline()
    {
        var nan = Assert.Throws<ArgumentException>(() => CateProfits.FromEffects([1, 2, double.NaN, 4], 2, ["5", "10"], "0"));
        Assert.Contains("level '5' in row 1", nan.Message);
        var discount = new ProfitFormula { Margin = 0.6, DiscountsOutcome = true, DepthScale = 0.01 };
        var noBaseline = Assert.Throws<ArgumentException>(() => CateProfits.FromEffects([1, 2], 1, ["5", "10"], "0", discount));
        Assert.Contains("baseline", noBaseline.Message);
        var badBaseline = Assert.Throws<ArgumentException>(() => CateProfits.FromEffects([1, 2, 3, 4], 2, ["5", "10"], "0", discount, [1, double.PositiveInfinity]));
        Assert.Contains("row 1", badBaseline.Message);
        var text = Assert.Throws<ArgumentException>(() => CateProfits.FromEffects([1, 2], 1, ["email", "10"], "0", discount, [1]));
        Assert.Contains("'email'", text.Message);
        Assert.Throws<ArgumentException>(() => CateProfits.FromEffects([1, 2], 1, ["0", "10"], "0"));
        Assert.Throws<ArgumentOutOfRangeException>(() => CateProfits.FromEffects([1, 2], 1, ["5", "10"], "0", new ProfitFormula { PromotionCost = -1 }));
    }

    [Fact]
    public void CrossFittedProfitsOfARowDoNotDependOnItsOwnOutcome()
    {
        // Row r's profits come from the model fitted without r's fold, and the folds depend on the arms only: changing r's
        // outcome leaves r's row unchanged and changes other folds' rows (which were fitted on it).
        var e = PromotionSimulation.Generate(1_200, seed: 8, levels: 3);
        var features = new FeatureMatrix(e.Covariates.Span, e.RowCount, PromotionSimulation.CovariateColumns.Count);
        var outcome = e.Profit.ToArray();
        var treatment = TreatmentAssignment.FromValues([.. e.AssignedLevel.Select(l => (double)l)], 0, "level");
        var learner = new TLearner(new MetaLearnerOptions { BootstrapReplicates = 0, Folds = 2, OutcomeLearner = new Learners.Linear.LeastSquaresRegressionLearner() });
        var context = new FitContext { Seed = 3 };
        var before = CateProfits.CrossFit(learner, new CateData(features, outcome, treatment), folds: 3, context: context);
        var again = CateProfits.CrossFit(learner, new CateData(features, outcome, treatment), folds: 3, context: context);
        Assert.Equal(before.Values.ToArray(), again.Values.ToArray());
        var changed = (double[])outcome.Clone();
        changed[0] += 1_000;
        var after = CateProfits.CrossFit(learner, new CateData(features, changed, treatment), folds: 3, context: context);
        Assert.Equal(before.Row(0).ToArray(), after.Row(0).ToArray());
        var moved = Enumerable.Range(1, e.RowCount - 1).Count(i => !before.Row(i).SequenceEqual(after.Row(i)));
        Assert.True(moved > e.RowCount / 2, $"only {moved} rows moved; the other folds' models were fitted on row 0.");
        // In sample, the model fitted on all rows does move row 0.
        var full = CateProfits.Predict(learner.Fit(new CateData(features, outcome, treatment), context), features);
        var fullChanged = CateProfits.Predict(learner.Fit(new CateData(features, changed, treatment), context), features);
        Assert.NotEqual(full.Row(0).ToArray(), fullChanged.Row(0).ToArray());
    }
}
