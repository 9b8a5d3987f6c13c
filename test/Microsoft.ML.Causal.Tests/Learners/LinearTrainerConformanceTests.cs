using Microsoft.ML.Causal.Data;
using Microsoft.ML.Causal.Learners;
using Microsoft.ML.Causal.Learners.Linear;
using Microsoft.ML.Causal.TestFramework;
using Microsoft.ML.Causal.Transforms;

namespace Microsoft.ML.Causal.Tests.Learners;

/// <summary>The linear learners as pipeline trainers, through the shared conformance kit.</summary>
public class LinearTrainerConformanceTests
{
    private static readonly InMemoryDataView Train = TestTables.Mixed(400, seed: 1);
    private static readonly InMemoryDataView Score = TestTables.Mixed(150, seed: 2);
    private static readonly FeaturizeOptions Features = new()
    {
        InputColumnNames = ["Income", "Region", "Arm", "Scores", "Age"],
        MissingValues = MissingValueHandling.ReplaceWithMean,
    };

    [Fact]
    public void LeastSquares() => EstimatorConformance.Run(new ConformanceCase<CausalTransformerChain<RegressionScoringTransformer>>
    {
        // One-hot slots of every category sum to the intercept's column, so ordinary least squares would reject
        // them as collinear; a small ridge penalty makes the fit unique.
        Create = ctx => ctx.Transforms.Featurize(Features)
            .Append(ctx.Regression.Trainers.LeastSquares(labelColumnName: "Visits", l2Regularization: 1e-3)),
        TrainData = Train,
        ScoringData = Score,
        BadSchemas = [(TestTables.Without(Train, "Visits"), "Visits"), (TestTables.Without(Train, "Region"), "Region")],
        TrainingOnlyColumns = ["Visits"],
    });

    [Fact]
    public void OrdinaryLeastSquaresOnNumericColumns() => EstimatorConformance.Run(new ConformanceCase<CausalTransformerChain<RegressionScoringTransformer>>
    {
        Create = ctx => ctx.Transforms.Featurize(Features with { InputColumnNames = ["Income", "Scores", "Age"] })
            .Append(ctx.Regression.Trainers.LeastSquares(labelColumnName: "Visits")),
        TrainData = Train,
        ScoringData = Score,
        BadSchemas = [(TestTables.Without(Train, "Visits"), "Visits"), (TestTables.Without(Train, "Scores"), "Scores")],
        TrainingOnlyColumns = ["Visits"],
    });

    [Fact]
    public void ElasticNet() => EstimatorConformance.Run(new ConformanceCase<CausalTransformerChain<RegressionScoringTransformer>>
    {
        Create = ctx => ctx.Transforms.Featurize(Features)
            .Append(ctx.Regression.Trainers.ElasticNet(new ElasticNetOptions { Alpha = 0.5, PathLength = 30 }, labelColumnName: "Visits")),
        TrainData = Train,
        ScoringData = Score,
        BadSchemas = [(TestTables.Without(Train, "Visits"), "Visits"), (TestTables.Without(Train, "Arm"), "Arm")],
        TrainingOnlyColumns = ["Visits"],
    });

    [Fact]
    public void Lasso() => EstimatorConformance.Run(new ConformanceCase<CausalTransformerChain<RegressionScoringTransformer>>
    {
        Create = ctx => ctx.Transforms.Featurize(Features)
            .Append(ctx.Regression.Trainers.Lasso(labelColumnName: "Visits", lambda: 0.05)),
        TrainData = Train,
        ScoringData = Score,
        BadSchemas = [(TestTables.Without(Train, "Visits"), "Visits")],
        TrainingOnlyColumns = ["Visits"],
    });

    [Fact]
    public void LogisticRegression() => EstimatorConformance.Run(new ConformanceCase<CausalTransformerChain<BinaryScoringTransformer>>
    {
        Create = ctx => ctx.Transforms.Featurize(Features)
            .Append(ctx.BinaryClassification.Trainers.LogisticRegression(labelColumnName: "Member")),
        TrainData = Train,
        ScoringData = Score,
        BadSchemas = [(TestTables.Without(Train, "Member"), "Member"), (TestTables.Without(Train, "Scores"), "Scores")],
        TrainingOnlyColumns = ["Member"],
    });

    [Fact]
    public void NaNFeaturesAreRejectedNamingTheSlotAndRow()
    {
        var ctx = new CausalContext(1);
        var pipeline = ctx.Transforms.Featurize("Features", "Income", "Age")
            .Append(ctx.Regression.Trainers.LeastSquares(labelColumnName: "Visits"));
        var e = Assert.Throws<DataValidationException>(() => pipeline.Fit(Train));
        Assert.NotNull(e.Row);
        Assert.True(double.IsNaN(Train.GetColumn<double>(e.ColumnName).Span[e.Row!.Value]), e.Message);
    }
}
