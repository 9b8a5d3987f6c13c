using Microsoft.ML.Causal.Data;
using Microsoft.ML.Causal.Learners;
using Microsoft.ML.Causal.Learners.GradientBoosting;
using Microsoft.ML.Causal.TestFramework;

namespace Microsoft.ML.Causal.Tests.Learners;

/// <summary>The learners as pipeline trainers, through the shared conformance kit.</summary>
public class TrainerConformanceTests
{
    private static readonly InMemoryDataView Train = TestTables.Mixed(400, seed: 1);
    private static readonly InMemoryDataView Score = TestTables.Mixed(150, seed: 2);
    private static readonly string[] Inputs = ["Income", "Region", "Arm", "Scores", "Age"];
    private static readonly GradientBoostingOptions Small = new() { NumberOfTrees = 15, NumberOfLeaves = 6, MinRowsInLeaf = 10, RowSubsampleFraction = 0.8, FeatureFractionPerNode = 0.7 };

    [Fact]
    public void GradientBoostingRegression() => EstimatorConformance.Run(new ConformanceCase<CausalTransformerChain<RegressionScoringTransformer>>
    {
        Create = ctx => ctx.Transforms.Featurize("Features", Inputs)
            .Append(ctx.Regression.Trainers.GradientBoosting(Small, labelColumnName: "Visits")),
        TrainData = Train,
        ScoringData = Score,
        BadSchemas = [(TestTables.Without(Train, "Visits"), "Visits"), (TestTables.Without(Train, "Visits", asText: true), "Visits"), (TestTables.Without(Train, "Region"), "Region")],
        TrainingOnlyColumns = ["Visits"],
    });

    [Fact]
    public void GradientBoostingBinary() => EstimatorConformance.Run(new ConformanceCase<CausalTransformerChain<BinaryScoringTransformer>>
    {
        Create = ctx => ctx.Transforms.Featurize("Features", Inputs)
            .Append(ctx.BinaryClassification.Trainers.GradientBoosting(Small, labelColumnName: "Member")),
        TrainData = Train,
        ScoringData = Score,
        BadSchemas = [(TestTables.Without(Train, "Member"), "Member"), (TestTables.Without(Train, "Scores"), "Scores")],
        TrainingOnlyColumns = ["Member"],
    });

    [Fact]
    public void ANaNLabelIsRejectedNamingTheColumnAndRow()
    {
        var ctx = new CausalContext(1);
        var pipeline = ctx.Transforms.Featurize("Features", "Income", "Visits").Append(ctx.Regression.Trainers.GradientBoosting(Small, labelColumnName: "Age"));
        var e = Assert.Throws<DataValidationException>(() => pipeline.Fit(Train));
        Assert.Equal("Age", e.ColumnName);
        Assert.NotNull(e.Row);
        Assert.True(double.IsNaN(Train.GetColumn<double>("Age").Span[e.Row!.Value]));
    }

    [Fact]
    public void EvaluateReadsTheScoredColumns()
    {
        var ctx = new CausalContext(1);
        var model = ctx.Transforms.Featurize("Features", "Income", "Age", "Scores")
            .Append(ctx.BinaryClassification.Trainers.GradientBoosting(Small, labelColumnName: "Member"))
            .Fit(Train);
        var metrics = ctx.BinaryClassification.Evaluate(model.Transform(Score), labelColumnName: "Member");
        Assert.Equal(Score.RowCount, metrics.Count);
        Assert.InRange(metrics.Auc, 0, 1);
        Assert.True(metrics.LogLoss > 0);
    }
}
