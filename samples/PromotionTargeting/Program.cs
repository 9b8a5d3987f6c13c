// Promotion targeting: which few discount depths should a retailer offer, and to whom? A randomized experiment
// offered 0 %, 5 %, …, 50 % off at random. Estimate every customer's incremental profit at every depth (an
// S-learner over the depth as one ordered dose, with a hurdle model of purchase × spend), then offer only K depths
// (coarse personalization, Zhang & Misra) and compare with the baselines: segmenting on characteristics, on estimated
// preferences, a prespecified grid, one depth for all, and full personalization (every customer their own best depth).
using System.Diagnostics;
using System.Globalization;
using Microsoft.ML.Causal;
using Microsoft.ML.Causal.Data;
using Microsoft.ML.Causal.Evaluation;
using Microsoft.ML.Causal.Learners;
using Microsoft.ML.Causal.Learners.GradientBoosting;
using Microsoft.ML.Causal.Segmentation;
using Microsoft.ML.Causal.Segmentation.CoarsePersonalization;
using Microsoft.ML.Causal.Simulation;
using Microsoft.ML.Causal.Trainers;

CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
var clock = Stopwatch.StartNew();
var ctx = new CausalContext(seed: 2026);
const int MaximumK = 10;

// 1. Simulate the experiment: training customers and held-out customers (different seeds). It is a simulation, so
//    every customer's true expected incremental profit at every depth is known and policies can be scored exactly.
var trainCustomers = PromotionSimulation.Generate(40_000, seed: 1);
var heldOutCustomers = PromotionSimulation.Generate(20_000, seed: 2);
var train = trainCustomers.ToDataView();
var heldOut = heldOutCustomers.ToDataView();
var m = trainCustomers.LevelCount;
Console.WriteLine($"Customers: {train.RowCount:N0} to train on, {heldOut.RowCount:N0} held out; each offered one of {m} depths "
    + $"({string.Join(", ", trainCustomers.Levels.Select(d => d.ToString("P0", CultureInfo.InvariantCulture)))}) at random.");
Console.WriteLine($"Outcome: profit per customer in the promotion window (margin {trainCustomers.Margin:P0} of list price, {trainCustomers.PromotionCost:0.00} per promoted customer).");

// 2. Featurize and fit an S-learner: one model of the outcome on the covariates and the depth, τ̂ₜ(x) = μ̂(x, t) − μ̂(x, 0 %).
//    Two choices make its estimates usable here (RESULTS.md has what each is worth):
//    - the depth enters as one ordered number (SLearnerArmEncoding.NumericValue reads the level 0 … 10 as a dose), so a
//      tree splits between neighbouring depths and each depth borrows strength from its neighbours, instead of 11 arm
//      indicators with 1/11 of the customers each;
//    - the outcome is gross_profit = spend·(margin − depth), the profit before the promotion cost, which is exactly 0 for
//      a customer who did not buy, and its model is a hurdle (HurdleRegressionLearner): P(buy | x, depth) by a boosted
//      classifier times E[gross profit | buy, x, depth] by a boosted regressor on the buyers. Small trees (4 leaves,
//      ≥ 200 customers per leaf) suit the few covariates. The promotion cost then enters through the profit formula:
//      π̂(x, t) = τ̂ₜ(x) − c for every depth t > 0 (ProfitFormula { PromotionCost = c }), which is the simulator's
//      incremental profit exactly (profit = gross profit − c·1[promoted]).
//    Every depth had propensity 1/11 by design, so the propensities are given. The evaluation below scores the observed
//    net profit (`columns`), not the modelling outcome.
var fitColumns = new CateColumns(Outcome: "gross_profit", Treatment: "level") { TreatmentKind = TreatmentKind.MultiArm };
var columns = fitColumns with { Outcome = "profit" };
var formula = new ProfitFormula { PromotionCost = trainCustomers.PromotionCost };
var shares = Enumerable.Repeat(1.0 / m, m).ToArray();
var boosting = CateDefaults.Nuisance with { NumberOfLeaves = 4, MinRowsInLeaf = 200, LearningRate = 0.1 };
var cateOptions = new MetaLearnerOptions
{
    OutcomeLearner = new HurdleRegressionLearner(new GradientBoostingClassificationLearner(boosting), new GradientBoostingRegressionLearner(boosting)),
    ArmEncoding = SLearnerArmEncoding.NumericValue,
    Propensity = new PropensityOptions { ArmShares = shares },
    BootstrapReplicates = 0,
    Folds = 3,
};
var coarseOptions = new CoarsePersonalizationOptions { OfferedLevels = 5, Profit = formula };
var pipeline = ctx.Transforms.Featurize("Features", [.. PromotionSimulation.CovariateColumns])
    .Append(ctx.Cate.Trainers.SLearner(cateOptions, fitColumns))
    .Append(ctx.Segmentation.CoarsePersonalization(coarseOptions));
var model = pipeline.Fit(train);
var coarse = model.LastTransformer;
var cateModel = model.Transformers.OfType<CateTransformer>().Single().Model;
Console.WriteLine($"\nPipeline (featurize → S-learner over the depth with a hurdle model → coarse personalization, K = 5) fitted in {clock.Elapsed.TotalSeconds:F0} s;");
Console.WriteLine($"it offers {Depths(coarse.OfferedLevels)} to {Shares(coarse.TrainingShares)} of the training customers.");

// 3. The K = 1 … 10 curve. Levels are chosen on out-of-fold profits of the training customers (3-fold cross-fitted
//    S-learners, so no customer's profits come from a model that saw their outcome); the held-out customers get their
//    levels from the full model's predicted profits. The k-means baselines segment the held-out customers themselves
//    (on covariates, or on predicted profit vectors) and give each segment its best level by predicted profit; no
//    policy uses a held-out outcome. Every policy is then scored twice on the held-out customers: by the true profits
//    (recovery = share of full personalization's gain over the best single depth) and by the doubly robust value
//    (mean incremental profit per customer over no promotion, with its SE, nuisances cross-fitted on those customers).
var oof = CateProfits.CrossFit(new SLearner(cateOptions), model.Transformers[0].Transform(train), fitColumns, formula, folds: 3, seed: 7);
var scored = model.Transform(heldOut);
var n = heldOut.RowCount;
var predicted = CateProfits.FromEffects(scored.GetColumn<double>("Cate").Span, n, cateModel.EffectNames, "0", formula);
var truth = new ProfitMatrix(heldOutCustomers.TrueIncrementalProfit, n, m, predicted.LevelNames);
var dr = ctx.Cate.ScoreDoublyRobust(scored, columns, new PolicyEvaluationOptions { Propensity = new PropensityOptions { ArmShares = shares }, Folds = 3 });
Console.WriteLine($"Out-of-fold training profits and held-out doubly robust scores ready at {clock.Elapsed.TotalSeconds:F0} s.");

var lloyd = new LloydSolver(new LloydOptions { Seed = 11 });
var grid = CoarseBaselines.EvenGrid(m, 6);
var covariates = heldOutCustomers.Covariates.Span.ToArray();
var methods = new (string Name, Func<int, CoarsePolicy> Policy)[]
{
    ("coarse (Lloyd)", k => lloyd.Solve(oof, k).Apply(predicted)),
    ("k-means on covariates", k => CoarseBaselines.CovariateKMeans(predicted, covariates, PromotionSimulation.CovariateColumns.Count, k, seed: 3)),
    ("k-means on profits", k => CoarseBaselines.ResponseKMeans(predicted, k, seed: 3)),
    ("prespecified grid", k => CoarseBaselines.PrespecifiedGrid(oof, k, grid).Apply(predicted)),
};
var best = CoarseBaselines.BestSingleLevel(oof).Apply(predicted);
var full = CoarseBaselines.FullPersonalization(predicted);
var bestDepth = best.LevelNames[0];
Console.WriteLine($"\nHeld-out customers. recovery: share of full personalization's true gain over the best single depth that the policy keeps;");
Console.WriteLine($"DR value: doubly robust incremental profit per customer over no promotion ± SE; vs {Depth(bestDepth)}: its DR gain over offering everyone");
Console.WriteLine($"{Depth(bestDepth)} (the best single depth) ± the SE of that paired difference; true: the true incremental profit per customer.");
Console.WriteLine($"\n{"K",3}  {"method",-22} {"depths offered",-34} {"shares",-34} {"recovery",8}  {"DR value ± SE",-15}  {"vs " + Depth(bestDepth) + " ± SE",-16} {"true",6}");
Row("-", "best single depth", best);
CoarsePolicy? coarseFive = null;
for (var k = 1; k <= MaximumK; k++)
{
    foreach (var (name, policy) in methods)
    {
        var p = policy(k);
        if (k == 5 && name.StartsWith("coarse", StringComparison.Ordinal))
            coarseFive = p;
        Row(k.ToString(CultureInfo.InvariantCulture), name, p);
    }
}
Row("-", "full personalization", full);
var five = CoarseEvaluation.PolicyValue(dr, coarseFive!).VersusControl;
var all = CoarseEvaluation.PolicyValue(dr, full).VersusControl;
Console.WriteLine($"\nK = 5 (coarse) keeps {five.Estimate / all.Estimate:P1} of full personalization's doubly robust value ({five.Estimate:0.000} vs {all.Estimate:0.000} per customer;"
    + $" difference {five.Estimate - all.Estimate:+0.000;-0.000}, within the SE {five.StandardError:0.000} of K = 5's value: {Math.Abs(five.Estimate - all.Estimate) <= five.StandardError}).");

// 4. Deploy the K = 5 levels chosen on the out-of-fold profits: the fitted featurizer and S-learner followed by a coarse
//    personalization step offering those levels. Save that pipeline to one zip, load it back as its exact type, and check
//    it scores the held-out customers identically.
var chosen = lloyd.Solve(oof, 5);
var deployed = new CausalTransformerChain<CoarsePersonalizationTransformer>(
    model.Transformers.SetItem(model.Transformers.Length - 1, CoarsePersonalizationTransformer.FromPolicy(oof, chosen, coarseOptions)));
Console.WriteLine($"\nDeployed pipeline: offers {Depths(deployed.LastTransformer.OfferedLevels)} (chosen on the out-of-fold profits).");
scored = deployed.Transform(heldOut);
var path = Path.Combine(Path.GetTempPath(), "promotion-targeting.zip");
ctx.Model.Save(deployed, train.Schema, path);
var reloaded = ctx.Model.Load<CausalTransformerChain<CoarsePersonalizationTransformer>>(path, out _);
var again = reloaded.Transform(heldOut);
var same = scored.GetColumn<string>("AssignedLevel").Span.SequenceEqual(again.GetColumn<string>("AssignedLevel").Span)
    && scored.GetColumn<double>("ExpectedProfit").Span.SequenceEqual(again.GetColumn<double>("ExpectedProfit").Span);
Console.WriteLine($"Saved it ({new FileInfo(path).Length:N0} bytes) to {path}; reloaded, it scores the held-out customers identically: {same}");
if (!same)
    return 1;

// 5. Score a few customers one at a time with the (thread-safe) prediction engine.
var engine = ctx.Model.CreatePredictionEngine<Customer, Offer>(reloaded);
Customer[] examples =
[
    new() { recency_days = 5, frequency = 12, basket = 80, tenure_years = 4, app_user = 1 },
    new() { recency_days = 60, frequency = 3, basket = 55, tenure_years = 2, app_user = 0 },
    new() { recency_days = 200, frequency = 1, basket = 35, tenure_years = 1, app_user = 0 },
];
Console.WriteLine("\nThree customers scored one by one:");
foreach (var c in examples)
{
    var offer = engine.Predict(c);
    Console.WriteLine($"  last order {c.recency_days,3} days ago, {c.frequency,2} orders/year, basket {c.basket,3}: offer {Depth(offer.AssignedLevel),4} off, "
        + $"expected incremental profit {offer.ExpectedProfit:+0.00;-0.00}");
}
Console.WriteLine($"\nDone in {clock.Elapsed.TotalSeconds:F0} s.");
return 0;

string Depth(string level) => trainCustomers.Levels[int.Parse(level, CultureInfo.InvariantCulture)].ToString("P0", CultureInfo.InvariantCulture);

string Depths(IEnumerable<string> levels) => string.Join(" ", levels.Select(Depth));

static string Shares(IEnumerable<double> values) => string.Join(" ", values.Select(v => v.ToString("P0", CultureInfo.InvariantCulture)));

void Row(string k, string name, CoarsePolicy policy)
{
    var values = CoarseEvaluation.PolicyValue(dr, policy);
    var value = values.VersusControl;
    var gain = values.Versus(bestDepth);
    var score = CoarseEvaluation.Score(truth, policy);
    var dep = Depths(policy.LevelNames);
    var sh = Shares(policy.Shares);
    Console.WriteLine($"{k,3}  {name,-22} {Trim(dep, 34),-34} {Trim(sh, 34),-34} {score.Recovery,8:P1}  {value.Estimate,6:0.000} ± {value.StandardError,5:0.000}  "
        + $"{gain.Estimate,7:+0.000;-0.000} ± {gain.StandardError,5:0.000}  {score.Profit / n,6:0.000}");
}

static string Trim(string text, int width) => text.Length <= width ? text : text[..(width - 1)] + "…";

/// <summary>A customer as the model reads it (property names are the data's column names).</summary>
internal sealed class Customer
{
    public double recency_days { get; set; }
    public double frequency { get; set; }
    public double basket { get; set; }
    public double tenure_years { get; set; }
    public double app_user { get; set; }
}

/// <summary>The offer coarse personalization makes to one customer.</summary>
internal sealed class Offer
{
    public string AssignedLevel { get; set; } = "";
    public double ExpectedProfit { get; set; }
}
