using Microsoft.ML.Causal.Data;
using Microsoft.ML.Causal.TestFramework;
using Microsoft.ML.Causal.Transforms;

namespace Microsoft.ML.Causal.Tests.Transforms;

/// <summary>Every featurization transform through the shared conformance kit.</summary>
public class TransformConformanceTests
{
    private static readonly InMemoryDataView Train = TestTables.Mixed(300, seed: 1);
    private static readonly InMemoryDataView Score = TestTables.Mixed(120, seed: 2);

    [Fact]
    public void Concatenate() => EstimatorConformance.Run(new ConformanceCase<ConcatenateTransformer>
    {
        Create = ctx => ctx.Transforms.Concatenate("Features", "Age", "Income", "Visits", "Member", "Scores"),
        TrainData = Train,
        ScoringData = Score,
        BadSchemas = [(TestTables.Without(Train, "Visits"), "Visits"), (TestTables.Without(Train, "Income", asText: true), "Income")],
        RejectsEmptyInput = false, // nothing is learned: zero rows in, zero rows out
    });

    [Fact]
    public void OneHot() => EstimatorConformance.Run(new ConformanceCase<OneHotTransformer>
    {
        Create = ctx => ctx.Transforms.OneHotEncoding(new OneHotOptions { Columns = [new("RegionHot", "Region"), new("ArmHot", "Arm")] }),
        TrainData = Train,
        ScoringData = Score,
        BadSchemas = [(TestTables.Without(Train, "Region"), "Region"), (TestTables.Without(Train, "Arm"), "Arm")],
    });

    [Theory]
    [InlineData(NormalizeMode.MeanVariance)]
    [InlineData(NormalizeMode.MinMax)]
    public void Normalize(NormalizeMode mode) => EstimatorConformance.Run(new ConformanceCase<NormalizeTransformer>
    {
        Create = ctx => ctx.Transforms.Normalize(new NormalizeOptions { Columns = [new("Age"), new("IncomeN", "Income"), new("Scores")], Mode = mode }),
        TrainData = Train,
        ScoringData = Score,
        BadSchemas = [(TestTables.Without(Train, "Age"), "Age"), (TestTables.Without(Train, "Age", asText: true), "Age")],
        BadValues = [(TestTables.WithValue(Train, "Age", 7, double.PositiveInfinity), "Age"), (TestTables.WithValue(Train, "Scores", 3, double.NegativeInfinity), "Scores")],
    });

    [Theory]
    [InlineData(ReplacementMode.Mean, true)]
    [InlineData(ReplacementMode.Median, false)]
    [InlineData(ReplacementMode.Constant, true)]
    public void ReplaceMissing(ReplacementMode mode, bool indicator) => EstimatorConformance.Run(new ConformanceCase<ReplaceMissingTransformer>
    {
        Create = ctx => ctx.Transforms.ReplaceMissingValues(new ReplaceMissingOptions
        {
            Columns = [new("Age"), new("IncomeFilled", "Income"), new("Scores")],
            Mode = mode,
            Constant = -1,
            AddIndicator = indicator,
        }),
        TrainData = Train,
        ScoringData = Score,
        BadSchemas = [(TestTables.Without(Train, "Scores"), "Scores"), (TestTables.Without(Train, "Age", asText: true), "Age")],
        BadValues = mode == ReplacementMode.Mean ? [(TestTables.WithValue(Train, "Age", 12, double.PositiveInfinity), "Age")] : [],
    });

    [Theory]
    [InlineData(MissingValueHandling.Keep, null)]
    [InlineData(MissingValueHandling.ReplaceWithMean, NormalizeMode.MeanVariance)]
    [InlineData(MissingValueHandling.ReplaceWithMean, NormalizeMode.MinMax)]
    public void Featurize(MissingValueHandling missing, NormalizeMode? normalize) => EstimatorConformance.Run(new ConformanceCase<FeaturizeTransformer>
    {
        Create = ctx => ctx.Transforms.Featurize(new FeaturizeOptions
        {
            OutputColumnName = "Features",
            InputColumnNames = ["Age", "Income", "Visits", "Member", "Region", "Arm", "Scores"],
            MissingValues = missing,
            Normalize = normalize,
        }),
        TrainData = Train,
        ScoringData = Score,
        BadSchemas = [(TestTables.Without(Train, "Member"), "Member")],
        BadValues = missing == MissingValueHandling.ReplaceWithMean ? [(TestTables.WithValue(Train, "Age", 5, double.NegativeInfinity), "Age")] : [],
    });

    [Fact]
    public void Chain() => EstimatorConformance.Run(new ConformanceCase<CausalTransformerChain<ConcatenateTransformer>>
    {
        Create = ctx => ctx.Transforms.ReplaceMissingValues("Age", addIndicator: true)
            .Append(ctx.Transforms.NormalizeMinMax("Age"))
            .Append(ctx.Transforms.OneHotEncoding("RegionHot", "Region"))
            .Append(ctx.Transforms.Concatenate("Features", "Age", "Age_IsMissing", "RegionHot")),
        TrainData = Train,
        ScoringData = Score,
        BadSchemas = [(TestTables.Without(Train, "Region"), "Region")],
    });
}
