using Microsoft.ML.Causal.Data;
using Microsoft.ML.Causal.Inference;
using Microsoft.ML.Causal.Learners;
using Microsoft.ML.Causal.Learners.GradientBoosting;
using Microsoft.ML.Causal.Numerics;
using Microsoft.ML.Causal.Simulation;
using Microsoft.ML.Causal.TestFramework;
using Microsoft.ML.Causal.Trainers;

namespace Microsoft.ML.Causal.Tests.Trainers;

/// <summary>The CATE estimators as pipeline trainers: conformance, output shapes, treatment kinds, scoring.</summary>
public class CatePipelineTests
{
    private static readonly GradientBoostingOptions Tiny = new() { NumberOfTrees = 20, NumberOfLeaves = 7, MinRowsInLeaf = 10 };
    private static readonly string[] Covariates = ["x1", "x2", "x3", "x4", "x5"];
    private static readonly InMemoryDataView Train = CausalSimulations.NieWagerB(300, 5, seed: 3).ToDataView();
    private static readonly InMemoryDataView Score = CausalSimulations.NieWagerB(60, 5, seed: 4).ToDataView();

    private static readonly CateColumns Binary = new("Y", "W");

    private static ICateLearner Learner(string method, int replicates = 3)
    {
        var outcome = new GradientBoostingRegressionLearner(Tiny);
        var propensity = new GradientBoostingClassificationLearner(Tiny);
        var final = new GradientBoostingRegressionLearner(Tiny with { NumberOfLeaves = 3, MinRowsInLeaf = 20 });
        return method switch
        {
            "s" => new SLearner(new MetaLearnerOptions { OutcomeLearner = outcome, PropensityLearner = propensity, BootstrapReplicates = replicates, Folds = 3 }),
            "t" => new TLearner(new MetaLearnerOptions { OutcomeLearner = outcome, PropensityLearner = propensity, BootstrapReplicates = replicates, Folds = 3 }),
            "x" => new XLearner(new FinalStageOptions { OutcomeLearner = outcome, PropensityLearner = propensity, FinalLearner = final, BootstrapReplicates = replicates, Folds = 3 }),
            "r" => new RLearner(new FinalStageOptions { OutcomeLearner = outcome, PropensityLearner = propensity, FinalLearner = final, BootstrapReplicates = replicates, Folds = 3 }),
            "dr" => new DRLearner(new FinalStageOptions { OutcomeLearner = outcome, PropensityLearner = propensity, FinalLearner = final, BootstrapReplicates = replicates, Folds = 3 }),
            "linear-dml" => new LinearDml(new DmlOptions { OutcomeLearner = outcome, PropensityLearner = propensity, Folds = 3 }),
            "sparse-linear-dml" => new SparseLinearDml(new DmlOptions { OutcomeLearner = outcome, PropensityLearner = propensity, Folds = 3 }),
            _ => throw new ArgumentException(method),
        };
    }

    public static TheoryData<string> Methods => ["s", "t", "x", "r", "dr", "linear-dml", "sparse-linear-dml"];

    [Theory]
    [MemberData(nameof(Methods))]
    public void EveryMethodPassesTheConformanceKit(string method) => EstimatorConformance.Run(new ConformanceCase<CausalTransformerChain<CateTransformer>>
    {
        Create = ctx => ctx.Transforms.Featurize("Features", Covariates).Append(ctx.Cate.Trainers.FromLearner(Learner(method), Binary)),
        TrainData = Train,
        ScoringData = Score,
        BadSchemas = [(TestTables.Without(Train, "Y"), "Y"), (TestTables.Without(Train, "W"), "W"), (TestTables.Without(Train, "Y", asText: true), "Y")],
        BadValues = [(TestTables.WithValue(Train, "Y", 7, double.NaN), "Y"), (TestTables.WithValue(Train, "W", 11, double.NaN), "W")],
        TrainingOnlyColumns = ["Y", "W"],
    });

    [Fact]
    public void SeveralArmsPassTheConformanceKitWithVectorOutputsNamedByArm() => EstimatorConformance.Run(new ConformanceCase<CausalTransformerChain<CateTransformer>>
    {
        Create = ctx => ctx.Transforms.Featurize("Features", "x1", "x2").Append(ctx.Cate.Trainers.FromLearner(Learner("t"),
            new CateColumns("Y", "Arm") { TreatmentKind = TreatmentKind.MultiArm, ControlArm = "none" })),
        TrainData = ThreeArms(450, seed: 5, asKey: true),
        ScoringData = ThreeArms(50, seed: 6, asKey: true),
        BadSchemas = [(TestTables.Without(ThreeArms(60, 1, asKey: true), "Arm"), "Arm")],
        TrainingOnlyColumns = ["Y", "Arm"],
    });

    [Fact]
    public void TheOutputsAreThoseOfTheFittedModelAtTheChosenLevel()
    {
        var ctx = new CausalContext(7);
        var model = ctx.Transforms.Featurize("Features", Covariates).Append(ctx.Cate.Trainers.FromLearner(Learner("dr", replicates: 20), Binary)).Fit(Train);
        var cate = model.LastTransformer;
        Assert.Equal("dr", cate.Model.Method);
        Assert.Equal(0.95, cate.Level);
        var scored = model.Transform(Score);
        var features = scored.GetColumn<double>("Features").Span;
        var c95 = scored.GetColumn<double>("Cate").Span;
        var lo95 = scored.GetColumn<double>("CateLower").Span;
        var hi95 = scored.GetColumn<double>("CateUpper").Span;
        var narrower = new CausalTransformerChain<CateTransformer>(model.Transformers.RemoveAt(model.Transformers.Length - 1).Add(cate.WithLevel(0.5))).Transform(Score);
        var lo50 = narrower.GetColumn<double>("CateLower").Span;
        var hi50 = narrower.GetColumn<double>("CateUpper").Span;
        Span<double> lower = stackalloc double[1], upper = stackalloc double[1];
        for (var i = 0; i < Score.RowCount; i++)
        {
            var x = features.Slice(i * Covariates.Length, Covariates.Length);
            Assert.Equal(cate.Model.PredictCate(x), c95[i]);
            cate.Model.PredictInterval(x, 0.95, lower, upper);
            Assert.Equal(lower[0], lo95[i]);
            Assert.Equal(upper[0], hi95[i]);
            Assert.True(lo95[i] <= lo50[i] && lo50[i] <= hi50[i] && hi50[i] <= hi95[i], $"row {i}: the 50 % interval must lie inside the 95 % one");
        }
    }

    [Fact]
    public void AMethodWithoutIntervalsAddsOnlyTheCateColumnAndPromisesJustThat()
    {
        var ctx = new CausalContext(8);
        var pipeline = ctx.Transforms.Featurize("Features", Covariates).Append(ctx.Cate.Trainers.FromLearner(Learner("t", replicates: 0), Binary));
        var promised = pipeline.GetOutputSchema(Train.Schema);
        Assert.True(promised.TryGetColumn("Cate", out _));
        Assert.False(promised.TryGetColumn("CateLower", out _));
        var scored = pipeline.Fit(Train).Transform(Score);
        Assert.Equal(ColumnType.Double, scored.Schema["Cate"].Type);
        Assert.False(scored.Schema.TryGetColumn("CateUpper", out _));
    }

    [Fact]
    public void ArmsReadFromTextGiveOneSlotPerNonControlArmInOrder()
    {
        var ctx = new CausalContext(9);
        var columns = new CateColumns("Y", "Arm") { TreatmentKind = TreatmentKind.MultiArm, ControlArm = "none" };
        var pipeline = ctx.Transforms.Featurize("Features", "x1", "x2").Append(ctx.Cate.Trainers.FromLearner(Learner("t", replicates: 0), columns));
        var train = ThreeArms(900, seed: 10, asKey: false);
        Assert.Equal(ColumnType.Vector(0), pipeline.GetOutputSchema(train.Schema)["Cate"].Type); // text arms are learned at fit time
        var model = pipeline.Fit(train);
        Assert.Equal(["email", "sms"], model.LastTransformer.EffectNames.ToArray());
        var scored = model.Transform(ThreeArms(200, seed: 11, asKey: false));
        var cate = scored.Schema["Cate"];
        Assert.Equal(ColumnType.Vector(2), cate.Type);
        Assert.Equal(["email", "sms"], cate.SlotNames.ToArray());
        // email: τ = 2 everywhere; sms: τ = x1. The mean estimated effects follow (loosely: a T-learner of 20 trees).
        var values = scored.GetColumn<double>("Cate").Span;
        var x1 = scored.GetColumn<double>("x1").Span;
        double email = 0, smsSlope = 0, xx = 0;
        for (var i = 0; i < scored.RowCount; i++)
        {
            email += values[2 * i] / scored.RowCount;
            smsSlope += values[2 * i + 1] * x1[i];
            xx += x1[i] * x1[i];
        }
        Assert.InRange(email, 1.5, 2.5);
        Assert.InRange(smsSlope / xx, 0.5, 1.5);
    }

    [Fact]
    public void ABinaryTrainerGivenThreeArmsSaysToAskForSeveralArms()
    {
        var ctx = new CausalContext(12);
        var pipeline = ctx.Transforms.Featurize("Features", "x1", "x2").Append(ctx.Cate.Trainers.FromLearner(Learner("t", 0), new CateColumns("Y", "Arm")));
        var e = Assert.Throws<DataValidationException>(() => pipeline.Fit(ThreeArms(300, 13, asKey: false)));
        Assert.Equal("Arm", e.ColumnName);
        Assert.Contains("3 arms", e.Message);
        Assert.Contains("TreatmentKind.MultiArm", e.Message);
        // A key treatment says so before any training.
        var keyed = ThreeArms(300, 13, asKey: true);
        Assert.Throws<DataValidationException>(() => pipeline.GetOutputSchema(keyed.Schema));
    }

    [Fact]
    public void AContinuousDoseNeedsADmlEstimatorAndGivesTheMarginalEffect()
    {
        var ctx = new CausalContext(14);
        var dose = new CateColumns("Y", "Dose") { TreatmentKind = TreatmentKind.Continuous };
        Assert.Throws<ArgumentException>(() => ctx.Cate.Trainers.FromLearner(Learner("dr"), dose));

        // Y = x1 + (1 + x2)·T + ε with T = x1 + noise: θ(x) = 1 + x2 exactly linear, so LinearDML recovers it.
        var r = new CausalRandom(15);
        const int n = 1500;
        double[] x1 = new double[n], x2 = new double[n], t = new double[n], y = new double[n];
        for (var i = 0; i < n; i++)
        {
            x1[i] = r.NextGaussian();
            x2[i] = r.NextGaussian();
            t[i] = x1[i] + r.NextGaussian();
            y[i] = x1[i] + (1 + x2[i]) * t[i] + 0.5 * r.NextGaussian();
        }
        var data = new InMemoryDataView.Builder().AddDouble("x1", x1).AddDouble("x2", x2).AddDouble("Dose", t).AddDouble("Y", y).Build();
        var model = ctx.Transforms.Featurize("Features", "x1", "x2").Append(ctx.Cate.Trainers.FromLearner(Learner("linear-dml"), dose)).Fit(data);
        var scored = model.Transform(data);
        Assert.Equal(ColumnType.Double, scored.Schema["Cate"].Type);
        var cate = scored.GetColumn<double>("Cate").Span;
        var lower = scored.GetColumn<double>("CateLower").Span;
        var upper = scored.GetColumn<double>("CateUpper").Span;
        for (var i = 0; i < 50; i++)
        {
            var se = (upper[i] - lower[i]) / (2 * AverageEffect.Quantile(0.95));
            Assert.InRange(cate[i], 1 + x2[i] - 4 * se, 1 + x2[i] + 4 * se);
        }
    }

    [Fact]
    public void TheCatalogMethodsBuildTheirOwnEstimator()
    {
        var ctx = new CausalContext(16);
        var trainers = ctx.Cate.Trainers;
        var expected = new (CateTrainer Trainer, string Method)[]
        {
            (trainers.SLearner("Y", "W"), "s"), (trainers.TLearner("Y", "W"), "t"), (trainers.XLearner("Y", "W"), "x"),
            (trainers.RLearner("Y", "W"), "r"), (trainers.DRLearner("Y", "W"), "dr"), (trainers.LinearDml("Y", "W"), "linear-dml"),
            (trainers.SparseLinearDml("Y", "W"), "sparse-linear-dml"), (trainers.CausalForest("Y", "W"), "causal-forest"),
        };
        foreach (var (trainer, method) in expected)
        {
            Assert.Equal(method, trainer.Learner.Method);
            Assert.Equal("Y", trainer.Columns.Outcome);
        }
        Assert.Equal(expected.Length, expected.Select(e => e.Trainer.Seed).Distinct().Count());
    }

    [Fact]
    public void ABooleanTreatmentAndAWeightAndClusterColumnAreRead()
    {
        var sim = CausalSimulations.NieWagerB(400, 5, seed: 17);
        var baseView = sim.ToDataView();
        var treated = baseView.GetColumn<double>("W").ToArray().Select(w => w == 1).ToArray();
        var weights = Enumerable.Range(0, 400).Select(i => 1.0 + (i % 3)).ToArray();
        var clusters = Enumerable.Range(0, 400).Select(i => $"store{i % 40}").ToArray();
        var builder = new InMemoryDataView.Builder();
        foreach (var c in Covariates)
            builder.AddDouble(c, baseView.GetColumn<double>(c).Span);
        var data = builder.AddDouble("Y", baseView.GetColumn<double>("Y").Span).AddBoolean("Treated", treated)
            .AddDouble("Weight", weights).AddText("Store", clusters).Build();
        var ctx = new CausalContext(18);
        var columns = new CateColumns("Y", "Treated") { Weight = "Weight", Cluster = "Store" };
        var cate = ctx.Transforms.Featurize("Features", Covariates).Append(ctx.Cate.Trainers.FromLearner(Learner("linear-dml"), columns)).Fit(data).LastTransformer;
        Assert.Equal(["true"], cate.EffectNames.ToArray());
        Assert.Equal("false", cate.Model.ControlArm);
        var ate = cate.Model.AverageEffects.Single(a => a.Estimand == Estimand.Ate);
        Assert.Equal("true", ate.Arm);
        Assert.InRange(ate.Estimate, sim.Effect.Average() - 4 * ate.StandardError, sim.Effect.Average() + 4 * ate.StandardError);

        var missing = (string?[])clusters.Clone();
        missing[9] = "";
        var bad = new InMemoryDataView.Builder();
        foreach (var c in data.Schema.Where(c => c.Name != "Store"))
            bad.AddDouble(c.Name, c.Type.Kind == ColumnKind.Boolean ? treated.Select(v => v ? 1.0 : 0).ToArray() : data.GetColumn<double>(c.Index).Span);
        var withMissing = bad.AddText("Store", missing).Build();
        var e = Assert.Throws<DataValidationException>(() => ctx.Transforms.Featurize("Features", Covariates)
            .Append(ctx.Cate.Trainers.FromLearner(Learner("linear-dml"), columns with { Treatment = "Treated" })).Fit(withMissing));
        Assert.Equal(("Store", 9), (e.ColumnName, e.Row!.Value));
    }

    [Fact]
    public void TheEngineScoresObjectsLikeTheBatchTransform()
    {
        var ctx = new CausalContext(19);
        var model = ctx.Transforms.Featurize("Features", Covariates).Append(ctx.Cate.Trainers.FromLearner(Learner("linear-dml"), Binary)).Fit(Train);
        var engine = ctx.Model.CreatePredictionEngine<Covariate, Effect>(model);
        var batch = model.Transform(Score);
        var x = Enumerable.Range(1, 5).Select(j => Score.GetColumn<double>($"x{j}").Span[3]).ToArray();
        var effect = engine.Predict(new Covariate { x1 = x[0], x2 = x[1], x3 = x[2], x4 = x[3], x5 = x[4] });
        Assert.Equal(batch.GetColumn<double>("Cate").Span[3], effect.Cate);
        Assert.Equal(batch.GetColumn<double>("CateLower").Span[3], effect.CateLower);
        Assert.Equal(batch.GetColumn<double>("CateUpper").Span[3], effect.CateUpper);
    }

    /// <summary>Three arms: none (control), email (τ = 2) and sms (τ = x1); Y = x1 − x2 + τ + ε, arms uniform.</summary>
    internal static InMemoryDataView ThreeArms(int rows, int seed, bool asKey)
    {
        var r = new CausalRandom(seed);
        string[] names = ["email", "none", "sms"];
        double[] x1 = new double[rows], x2 = new double[rows], y = new double[rows];
        var arm = new int[rows];
        for (var i = 0; i < rows; i++)
        {
            x1[i] = r.NextGaussian();
            x2[i] = r.NextGaussian();
            arm[i] = r.NextInt(3);
            var tau = names[arm[i]] switch { "email" => 2.0, "sms" => x1[i], _ => 0.0 };
            y[i] = x1[i] - x2[i] + tau + 0.5 * r.NextGaussian();
        }
        var builder = new InMemoryDataView.Builder().AddDouble("x1", x1).AddDouble("x2", x2).AddDouble("Y", y);
        return (asKey ? builder.AddKey("Arm", arm, names) : builder.AddText("Arm", arm.Select(a => names[a]).ToArray())).Build();
    }

    public sealed class Covariate
    {
        public double x1 { get; set; }
        public double x2 { get; set; }
        public double x3 { get; set; }
        public double x4 { get; set; }
        public double x5 { get; set; }
    }

    public sealed class Effect
    {
        public double Cate { get; set; }
        public double CateLower { get; set; }
        public double CateUpper { get; set; }
    }
}
