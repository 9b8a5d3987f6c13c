using Microsoft.ML.Causal.Data;
using Microsoft.ML.Causal.Evaluation;
using Microsoft.ML.Causal.Segmentation.CoarsePersonalization;
using Microsoft.ML.Causal.Simulation;
using Microsoft.ML.Causal.TestFramework;
using Microsoft.ML.Causal.Trainers;

namespace Microsoft.ML.Causal.Segmentation.Tests.CoarsePersonalization;

/// <summary>ctx.Segmentation.CoarsePersonalization as a pipeline step: after a multi-arm CATE transformer, persistence, outputs, bad input.</summary>
public class CoarsePipelineTests
{
    private static readonly InMemoryDataView Train = PromotionSimulation.Generate(1_500, seed: 21, levels: 4).ToDataView();
    private static readonly InMemoryDataView Score = PromotionSimulation.Generate(200, seed: 22, levels: 4).ToDataView();
    private static readonly CateColumns Columns = new(Outcome: "profit", Treatment: "level") { TreatmentKind = TreatmentKind.MultiArm };
    private static readonly MetaLearnerOptions CateOptions = new() { BootstrapReplicates = 0, Folds = 2, Propensity = new PropensityOptions { ArmShares = [0.25, 0.25, 0.25, 0.25] } };

    private static ICausalEstimator<CausalTransformerChain<CoarsePersonalizationTransformer>> Pipeline(CausalContext ctx, int k = 2) =>
        ctx.Transforms.Featurize("Features", [.. PromotionSimulation.CovariateColumns])
            .Append(ctx.Cate.Trainers.TLearner(CateOptions, Columns))
            .Append(ctx.Segmentation.CoarsePersonalization(offeredLevels: k));

    /// <summary>A table with a multi-arm Cate column (slots "1" … "3") holding the simulator's true profits, and the covariates.</summary>
    private static InMemoryDataView TrueCate(int rows, int seed, out ProfitMatrix truth)
    {
        var e = PromotionSimulation.Generate(rows, seed, levels: 4);
        truth = new ProfitMatrix(e.TrueIncrementalProfit, rows, 4);
        var cate = new double[rows * 3];
        for (var i = 0; i < rows; i++)
        {
            for (var j = 1; j < 4; j++)
                cate[i * 3 + j - 1] = truth[i, j];
        }
        return new InMemoryDataView.Builder().AddDoubleColumns(PromotionSimulation.CovariateColumns, e.Covariates.Span)
            .AddVector("Cate", 3, cate, ["1", "2", "3"]).AddDouble("b", [.. e.BaselineProfit]).Build();
    }

    [Fact]
    public void AfterACateTransformerPassesTheConformanceKit() => EstimatorConformance.Run(new ConformanceCase<CausalTransformerChain<CoarsePersonalizationTransformer>>
    {
        Create = ctx => Pipeline(ctx),
        TrainData = Train,
        ScoringData = Score,
        BadSchemas = [(TestTables.Without(Train, "profit"), "profit"), (TestTables.Without(Train, "level"), "level"), (TestTables.Without(Train, "basket"), "basket")],
        BadValues = [(TestTables.WithValue(Train, "profit", 9, double.NaN), "profit")],
        TrainingOnlyColumns = ["profit", "level"],
    });

    [Fact]
    public void AloneOnACateColumnPassesTheConformanceKit()
    {
        var train = TrueCate(600, 31, out _);
        var badCate = TestTables.Without(train, "Cate");
        var textCate = TestTables.Without(train, "Cate", asText: true);
        EstimatorConformance.Run(new ConformanceCase<CoarsePersonalizationTransformer>
        {
            Create = ctx => ctx.Segmentation.CoarsePersonalization(offeredLevels: 2),
            TrainData = train,
            ScoringData = TrueCate(100, 32, out _),
            BadSchemas = [(badCate, "Cate"), (textCate, "Cate")],
            BadValues = [(TestTables.WithValue(train, "Cate", 7, double.PositiveInfinity), "Cate")],
        });
    }

    [Fact]
    public void TheOutputsAreTheBestOfferedLevelItsProfitAndItsSegment()
    {
        var train = TrueCate(2_000, 41, out var truth);
        var ctx = new CausalContext(3);
        var transformer = ctx.Segmentation.CoarsePersonalization(new CoarsePersonalizationOptions { OfferedLevels = 2, Seed = 9 }).Fit(train);
        var policy = new LloydSolver(new LloydOptions { Seed = 9 }).Solve(new ProfitMatrix(truth.Values.ToArray(), truth.RowCount, 4), 2);
        Assert.Equal(policy.LevelNames, transformer.OfferedLevels);
        Assert.Equal(policy.Shares, transformer.TrainingShares);
        Assert.Equal(policy.Profit / truth.RowCount, transformer.TrainingProfitPerRow, 1e-12);
        var scored = transformer.Transform(train);
        Assert.Equal(ColumnType.Key(policy.LevelNames), scored.Schema[CoarsePersonalizationTransformer.SegmentColumn].Type);
        var level = scored.GetColumn<string>(CoarsePersonalizationTransformer.AssignedLevelColumn).Span;
        var profit = scored.GetColumn<double>(CoarsePersonalizationTransformer.ExpectedProfitColumn).Span;
        var segment = scored.GetColumn<int>(CoarsePersonalizationTransformer.SegmentColumn).Span;
        for (var i = 0; i < truth.RowCount; i++)
        {
            Assert.Equal(policy.LevelNames[policy.Segments[i]], level[i]);
            Assert.Equal(policy.Segments[i], segment[i]);
            Assert.Equal(truth[i, policy.LevelOf(i)], profit[i]);
            foreach (var j in policy.Levels)
                Assert.True(truth[i, j] <= profit[i], $"row {i} is not at its best offered level");
        }
    }

    [Fact]
    public void ApplyGivesEveryNewRowItsBestOfferedLevel()
    {
        TrueCate(1_000, 81, out var train);
        TrueCate(400, 82, out var fresh);
        var policy = new LloydSolver(new LloydOptions { Seed = 2 }).Solve(train, 2);
        Assert.Equal(policy.Segments, policy.Apply(train).Segments);
        var applied = policy.Apply(fresh);
        Assert.Equal(policy.Levels, applied.Levels);
        for (var i = 0; i < fresh.RowCount; i++)
        {
            foreach (var j in policy.Levels)
                Assert.True(fresh[i, j] <= fresh[i, applied.LevelOf(i)]);
        }
        var other = new ProfitMatrix(fresh.Values.ToArray(), fresh.RowCount, 4, ["0", "5", "10", "15"]);
        Assert.Throws<ArgumentException>(() => policy.Apply(other));
    }

    [Fact]
    public void FromPolicyOffersLevelsChosenElsewhereAndSavesInTheChain()
    {
        var ctx = new CausalContext(8);
        var model = Pipeline(ctx, k: 2).Fit(Train);
        var cate = model.Transformers.OfType<CateTransformer>().Single().Model;
        var scored = model.Transform(Score);
        var profits = CateProfits.FromEffects(scored.GetColumn<double>("Cate").Span, Score.RowCount, cate.EffectNames, "0");
        var policy = CoarseBaselines.PrespecifiedGrid(profits, 2, [0, 3]);
        var step = CoarsePersonalizationTransformer.FromPolicy(profits, policy);
        Assert.Equal(["0", "3"], step.OfferedLevels);
        var chain = new CausalTransformerChain<CoarsePersonalizationTransformer>(model.Transformers.SetItem(model.Transformers.Length - 1, step));
        using var stream = new MemoryStream();
        ctx.Model.Save(chain, Train.Schema, stream);
        stream.Position = 0;
        var level = ctx.Model.Load<CausalTransformerChain<CoarsePersonalizationTransformer>>(stream, out _).Transform(Score).GetColumn<string>("AssignedLevel").ToArray();
        Assert.Equal(Enumerable.Range(0, Score.RowCount).Select(i => policy.LevelNames[policy.Segments[i]]), level);
        var renamed = new ProfitMatrix(profits.Values.ToArray(), profits.RowCount, profits.LevelCount, ["0", "a", "b", "c"]);
        Assert.Throws<ArgumentException>(() => CoarsePersonalizationTransformer.FromPolicy(renamed, policy));
        Assert.Throws<ArgumentException>(() => CoarsePersonalizationTransformer.FromPolicy(profits, policy, new CoarsePersonalizationOptions { ControlLevel = "1" }));
    }

    [Fact]
    public void WithAShareCapTheTrainingAssignmentMeetsItAndScoringUsesThePrices()
    {
        var train = TrueCate(2_000, 51, out var truth);
        var ctx = new CausalContext(3);
        var options = new CoarsePersonalizationOptions { OfferedLevels = 3, Seed = 4, Solver = new LloydOptions { MaximumShares = [1, 1, 1, 0.1] } };
        var transformer = ctx.Segmentation.CoarsePersonalization(options).Fit(train);
        Assert.NotEmpty(transformer.Prices);
        var policy = new LloydSolver(options.Solver with { Seed = 4 }).Solve(new ProfitMatrix(truth.Values.ToArray(), truth.RowCount, 4), 3);
        var level = transformer.Transform(train).GetColumn<string>(CoarsePersonalizationTransformer.AssignedLevelColumn).ToArray();
        var deepest = level.Count(l => l == "3") / (double)level.Length;
        Assert.True(deepest <= 0.1 + 1.0 / level.Length + 1e-12, $"{deepest:P2} got the capped level");
        var agree = Enumerable.Range(0, level.Length).Count(i => level[i] == policy.LevelNames[policy.Segments[i]]);
        Assert.True(agree >= level.Length - policy.Levels.Count, $"the prices reproduce the exact assignment on all but {level.Length - agree} rows");
    }

    [Fact]
    public void TheDiscountFormulaReadsTheBaselineColumnWhenScoring()
    {
        var train = TrueCate(300, 61, out var truth);
        var formula = new ProfitFormula { Margin = 0.6, PromotionCost = 0.5, DiscountsOutcome = true, DepthScale = 0.1 };
        var ctx = new CausalContext(3);
        var transformer = ctx.Segmentation.CoarsePersonalization(offeredLevels: 2, profit: formula, baselineColumnName: "b").Fit(train);
        var scored = transformer.Transform(train);
        var profit = scored.GetColumn<double>(CoarsePersonalizationTransformer.ExpectedProfitColumn).Span;
        var level = scored.GetColumn<string>(CoarsePersonalizationTransformer.AssignedLevelColumn).Span;
        var b = train.GetColumn<double>("b").Span;
        for (var i = 0; i < truth.RowCount; i++)
        {
            var j = int.Parse(level[i], System.Globalization.CultureInfo.InvariantCulture);
            var expected = j == 0 ? 0 : (0.6 - 0.1 * j) * truth[i, j] - 0.1 * j * b[i] - 0.5;
            Assert.Equal(expected, profit[i], 1e-12);
        }
        var e = Assert.Throws<SchemaMismatchException>(() => transformer.Transform(TestTables.Without(train, "b")));
        Assert.Equal("b", e.ColumnName);
        Assert.Throws<ArgumentException>(() => ctx.Segmentation.CoarsePersonalization(profit: formula));
    }

    [Fact]
    public void BadInputNamesTheColumnAndRow()
    {
        var train = TrueCate(300, 71, out _);
        var ctx = new CausalContext(3);
        var nan = Assert.Throws<DataValidationException>(() => ctx.Segmentation.CoarsePersonalization(offeredLevels: 2).Fit(TestTables.WithValue(train, "Cate", 4, double.NaN)));
        Assert.Equal("Cate", nan.ColumnName);
        Assert.Equal(4, nan.Row);
        Assert.Contains("level '1'", nan.Message);
        var tooMany = Assert.Throws<ArgumentOutOfRangeException>(() => ctx.Segmentation.CoarsePersonalization(offeredLevels: 5).Fit(train));
        Assert.Contains("only 4 levels", tooMany.Message);
        var control = Assert.Throws<ArgumentException>(() => ctx.Segmentation.CoarsePersonalization(controlLevel: "1").Fit(train));
        Assert.Contains("'1' appears twice", control.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => ctx.Segmentation.CoarsePersonalization(offeredLevels: 0));
        var noSlots = new InMemoryDataView.Builder().AddVector("Cate", 3, new double[9]).Build();
        var slots = Assert.Throws<SchemaMismatchException>(() => ctx.Segmentation.CoarsePersonalization().GetOutputSchema(noSlots.Schema));
        Assert.Equal("Cate", slots.ColumnName);
    }

    [Fact]
    public void TheChainSavesToOneZipAndTheEngineScoresLikeTheBatch()
    {
        var ctx = new CausalContext(8);
        var model = Pipeline(ctx, k: 3).Fit(Train);
        using var stream = new MemoryStream();
        ctx.Model.Save(model, Train.Schema, stream);
        stream.Position = 0;
        var loaded = ctx.Model.Load<CausalTransformerChain<CoarsePersonalizationTransformer>>(stream, out _);
        var batch = loaded.Transform(Score);
        var engine = ctx.Model.CreatePredictionEngine<Customer, Offer>(loaded);
        var covariates = PromotionSimulation.CovariateColumns.Select(c => Score.GetColumn<double>(c).ToArray()).ToArray();
        var levels = batch.GetColumn<string>("AssignedLevel").ToArray();
        var profits = batch.GetColumn<double>("ExpectedProfit").ToArray();
        Parallel.For(0, Score.RowCount, i =>
        {
            var offer = engine.Predict(new Customer { recency_days = covariates[0][i], frequency = covariates[1][i], basket = covariates[2][i], tenure_years = covariates[3][i], app_user = covariates[4][i] });
            Assert.Equal(levels[i], offer.AssignedLevel);
            Assert.Equal(profits[i], offer.ExpectedProfit);
            Assert.Equal(levels[i], offer.Segment);
        });
    }

    [Fact]
    public void TheHeldOutPolicyValueIsTheDoublyRobustScoresOfItsArms()
    {
        var ctx = new CausalContext(8);
        var model = Pipeline(ctx, k: 2).Fit(Train);
        var scored = model.Transform(Score);
        var dr = ctx.Cate.ScoreDoublyRobust(scored, Columns, new PolicyEvaluationOptions { Folds = 2, Propensity = CateOptions.Propensity });
        var cate = model.Transformers.OfType<CateTransformer>().Single().Model;
        var profits = CateProfits.FromEffects(scored.GetColumn<double>("Cate").Span, Score.RowCount, cate.EffectNames, "0");
        var policy = new LloydSolver(new LloydOptions { Seed = 1 }).Solve(profits, 2);
        var value = CoarseEvaluation.PolicyValue(dr, policy);
        var direct = dr.EvaluatePolicy([.. Enumerable.Range(0, Score.RowCount).Select(i => policy.LevelNames[policy.Segments[i]])]);
        Assert.Equal(direct.VersusControl.Estimate, value.VersusControl.Estimate);
        Assert.Equal(direct.VersusControl.StandardError, value.VersusControl.StandardError);
        var renamed = new ProfitMatrix(profits.Values.ToArray(), profits.RowCount, profits.LevelCount, ["a", "b", "c", "d"]);
        var e = Assert.Throws<ArgumentException>(() => CoarseEvaluation.PolicyValue(dr, CoarseBaselines.BestSingleLevel(renamed)));
        Assert.Contains("not an arm", e.Message);
    }

    private sealed class Customer
    {
        public double recency_days { get; set; }
        public double frequency { get; set; }
        public double basket { get; set; }
        public double tenure_years { get; set; }
        public double app_user { get; set; }
    }

    private sealed class Offer
    {
        public string AssignedLevel { get; set; } = "";
        public double ExpectedProfit { get; set; }
        public string Segment { get; set; } = "";
    }
}
