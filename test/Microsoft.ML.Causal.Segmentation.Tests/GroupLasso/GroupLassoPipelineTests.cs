using Microsoft.ML.Causal.Data;
using Microsoft.ML.Causal.Segmentation.GroupLasso;
using Microsoft.ML.Causal.Simulation;
using Microsoft.ML.Causal.TestFramework;

namespace Microsoft.ML.Causal.Segmentation.Tests.GroupLasso;

/// <summary>ctx.Segmentation.GroupLasso as a pipeline step: conformance, outputs, persistence, bad input.</summary>
public class GroupLassoPipelineTests
{
    private const double Lambda = 0.02;
    private static readonly CreativeExperiment TrainExperiment = CreativeExperimentSimulation.Generate(600, seed: 11);
    private static readonly InMemoryDataView Train = TrainExperiment.ToDataView();
    private static readonly InMemoryDataView Score = CreativeExperimentSimulation.Generate(80, seed: 12).ToDataView();
    private static readonly string[] Covariates = [.. TrainExperiment.FeatureColumns];

    private static ICausalEstimator<CausalTransformerChain<GroupLassoTransformer>> Pipeline(CausalContext ctx, double? lambda = Lambda) =>
        ctx.Transforms.Featurize("Features", Covariates).Append(ctx.Segmentation.GroupLasso("Response", "DesignedSegment", "Creative", lambda: lambda, alpha: 0.25));

    [Fact]
    public void PassesTheConformanceKit() => EstimatorConformance.Run(new ConformanceCase<CausalTransformerChain<GroupLassoTransformer>>
    {
        Create = ctx => Pipeline(ctx),
        TrainData = Train,
        ScoringData = Score,
        BadSchemas =
        [
            (TestTables.Without(Train, "Response"), "Response"),
            (TestTables.Without(Train, "Response", asText: true), "Response"),
            (TestTables.Without(Train, "Creative"), "Creative"),
            (TestTables.Without(Train, "DesignedSegment"), "DesignedSegment"),
        ],
        BadValues = [(TestTables.WithValue(Train, "Response", 7, double.NaN), "Response"), (TestTables.WithValue(Train, "Response", 3, 0.5), "Response")],
        TrainingOnlyColumns = ["Response", "Creative", "DesignedSegment"],
    });

    [Fact]
    public void TheOutputsAreTheModelsSegmentScoresAndAssignments()
    {
        var ctx = new CausalContext(5);
        var model = Pipeline(ctx).Fit(Train);
        var glasso = model.LastTransformer.Model;
        Assert.Equal(Lambda, glasso.Lambda);
        Assert.Equal(0.25, glasso.Alpha);
        Assert.Equal(["segment0", "segment1", "segment2"], model.LastTransformer.SegmentNames);
        Assert.Equal(12, glasso.Creatives.Count);
        var scored = model.Transform(Score);
        var segment = scored.Schema[GroupLassoTransformer.SegmentColumn];
        Assert.Equal(ColumnType.Key(["segment0", "segment1", "segment2"]), segment.Type);
        var scoresColumn = scored.Schema[GroupLassoTransformer.ScoresColumn];
        Assert.Equal(ColumnType.Vector(3), scoresColumn.Type);
        Assert.Equal(["segment0", "segment1", "segment2"], scoresColumn.SlotNames.ToArray());
        var p = glasso.FeatureCount;
        var features = scored.GetColumn<double>("Features").Span;
        var scores = scored.GetColumn<double>(GroupLassoTransformer.ScoresColumn).Span;
        var keys = scored.GetColumn<int>(GroupLassoTransformer.SegmentColumn).Span;
        var expected = new double[3];
        for (var i = 0; i < scored.RowCount; i++)
        {
            var x = features.Slice(i * p, p);
            glasso.SegmentScores(x, expected);
            Assert.Equal(expected, scores.Slice(i * 3, 3).ToArray());
            Assert.Equal(glasso.AssignSegment(x), keys[i]);
        }
    }

    [Fact]
    public void MatchesTheArrayFitOnTheSameFeatures()
    {
        var ctx = new CausalContext(5);
        var chain = ctx.Transforms.Featurize("Features", Covariates).Fit(Train);
        var featurized = chain.Transform(Train);
        var transformer = ctx.Segmentation.GroupLasso("Response", "DesignedSegment", "Creative", lambda: Lambda, alpha: 0.25).Fit(featurized);
        var data = DirectData(featurized);
        var direct = GroupLassoSegmenter.Fit(data, Lambda, 0.25);
        for (var j = 0; j < 3; j++)
        {
            Assert.Equal(direct.Segments[j].Intercept, transformer.Model.Segments[j].Intercept);
            Assert.Equal(direct.Segments[j].Coefficients, transformer.Model.Segments[j].Coefficients);
        }
    }

    [Fact]
    public void TheModelAloneRoundTripsBitIdentically()
    {
        Assert.True(Microsoft.ML.Causal.Persistence.ModelLoaderRegistry.IsRegistered("GroupLassoModel"));
        Assert.True(Microsoft.ML.Causal.Persistence.ModelLoaderRegistry.IsRegistered("GroupLassoTransformer"));
        var model = Pipeline(new CausalContext(5)).Fit(Train).LastTransformer.Model;
        using var stream = new MemoryStream();
        Microsoft.ML.Causal.Persistence.ModelArchive.Save(model, Train.Schema, stream, seed: 5);
        stream.Position = 0;
        var loaded = Assert.IsType<GroupLassoModel>(Microsoft.ML.Causal.Persistence.ModelArchive.Load(stream, out _));
        Assert.Equal(model.Lambda, loaded.Lambda);
        Assert.Equal(model.FeatureNames, loaded.FeatureNames);
        Assert.Equal(model.Objective, loaded.Objective);
        for (var j = 0; j < model.Segments.Count; j++)
        {
            Assert.Equal(model.Segments[j].Name, loaded.Segments[j].Name);
            Assert.Equal(BitConverter.DoubleToInt64Bits(model.Segments[j].Intercept), BitConverter.DoubleToInt64Bits(loaded.Segments[j].Intercept));
            Assert.Equal(model.Segments[j].Coefficients.Select(BitConverter.DoubleToInt64Bits), loaded.Segments[j].Coefficients.Select(BitConverter.DoubleToInt64Bits));
            Assert.Equal(model.Segments[j].Creatives, loaded.Segments[j].Creatives);
        }
        for (var k = 0; k < model.Creatives.Count; k++)
            Assert.Equal((model.Creatives[k].Name, model.Creatives[k].Fused, model.Creatives[k].Deviation), (loaded.Creatives[k].Name, loaded.Creatives[k].Fused, loaded.Creatives[k].Deviation));
        var x = new double[model.FeatureCount];
        x[0] = 0.7;
        Assert.Equal(model.PredictResponse(x, 3), loaded.PredictResponse(x, 3));
    }

    [Fact]
    public void ACreativeInTwoSegmentsIsRejectedNamingTheColumnAndRow()
    {
        var row = Enumerable.Range(1, Train.RowCount - 1).First(i => Train.GetColumn<string>("Creative").Span[i] == Train.GetColumn<string>("Creative").Span[0]);
        var bad = WithText(Train, "DesignedSegment", row, Train.GetColumn<string>("DesignedSegment").Span[0] == "segment1" ? "segment2" : "segment1");
        var ctx = new CausalContext(5);
        var e = Assert.Throws<DataValidationException>(() => Pipeline(ctx).Fit(bad));
        Assert.Equal("Creative", e.ColumnName);
        Assert.Equal(row, e.Row);
        Assert.Contains($"row {row}", e.Message);
        Assert.Contains("'DesignedSegment'", e.Message);
    }

    [Fact]
    public void AMissingCreativeIsRejectedNamingTheRow()
    {
        var e = Assert.Throws<DataValidationException>(() => Pipeline(new CausalContext(5)).Fit(WithText(Train, "Creative", 9, "")));
        Assert.Equal("Creative", e.ColumnName);
        Assert.Equal(9, e.Row);
    }

    [Fact]
    public void KeyAndNumericCategoriesGiveTheSameSegmentsAsText()
    {
        var ctx = new CausalContext(5);
        var text = Pipeline(ctx).Fit(Train).LastTransformer.Model;
        var keyed = AsKey(AsKey(Train, "Creative"), "DesignedSegment");
        var key = Pipeline(ctx).Fit(keyed).LastTransformer.Model;
        Assert.Equal(text.Segments.Select(s => s.Name), key.Segments.Select(s => s.Name));
        Assert.Equal(text.Segments.Select(s => s.Intercept), key.Segments.Select(s => s.Intercept));
    }

    [Fact]
    public void NumericCategoriesABooleanResponseAndAWeightColumnAreRead()
    {
        var n = Train.RowCount;
        var builder = new InMemoryDataView.Builder();
        foreach (var name in Covariates)
            builder.AddDouble(name, Train.GetColumn<double>(name).Span);
        var creatives = TrainExperiment.Creatives.ToArray();
        var view = builder.AddInt32("Creative", creatives)
            .AddInt32("Segment", [.. creatives.Select(c => TrainExperiment.CreativeSegments[c])])
            .AddBoolean("Clicked", [.. TrainExperiment.Responses.ToArray().Select(y => y == 1)])
            .AddDouble("Weight", Enumerable.Repeat(1.0, n).ToArray())
            .Build();
        var ctx = new CausalContext(5);
        var model = ctx.Transforms.Featurize("Features", Covariates)
            .Append(ctx.Segmentation.GroupLasso("Clicked", "Segment", "Creative", lambda: Lambda, alpha: 0.25, weightColumnName: "Weight")).Fit(view);
        var glasso = model.LastTransformer.Model;
        Assert.Equal(["0", "1", "2"], model.LastTransformer.SegmentNames);
        Assert.Equal("11", glasso.Creatives[11].Name);
        var featurized = ctx.Transforms.Featurize("Features", Covariates).Fit(view).Transform(view);
        var direct = GroupLassoSegmenter.Fit(new MultiCreativeData(featurized.GetColumn<double>("Features"), glasso.FeatureCount, TrainExperiment.Responses,
            TrainExperiment.Creatives, TrainExperiment.CreativeSegments), Lambda, 0.25);
        for (var j = 0; j < 3; j++)
            Assert.Equal(direct.Segments[j].Coefficients, glasso.Segments[j].Coefficients);
        var e = Assert.Throws<DataValidationException>(() => ctx.Transforms.Featurize("Features", Covariates)
            .Append(ctx.Segmentation.GroupLasso("Clicked", "Segment", "Creative", lambda: Lambda, weightColumnName: "Weight"))
            .Fit(TestTables.WithValue(view, "Weight", 4, -1)));
        Assert.Equal("Weight", e.ColumnName);
        Assert.Equal(4, e.Row);
    }

    [Fact]
    public void WithoutLambdaTheTrainerCrossValidates()
    {
        var ctx = new CausalContext(5);
        var solver = new GroupLassoOptions { PathLength = 4, Folds = 3 };
        var estimator = ctx.Transforms.Featurize("Features", Covariates).Append(ctx.Segmentation.GroupLasso(new GroupLassoTrainerOptions
        {
            ResponseColumnName = "Response", SegmentColumnName = "DesignedSegment", CreativeColumnName = "Creative", Alpha = 0.25, Seed = 3, Solver = solver,
        }));
        var transformer = estimator.Fit(Train).LastTransformer;
        var model = transformer.Model;
        var featurized = ctx.Transforms.Featurize("Features", Covariates).Fit(Train).Transform(Train);
        var cv = GroupLassoSegmenter.CrossValidate(DirectData(featurized), solver with { Alphas = [0.25], Seed = 3 });
        var direct = cv.Model;
        Assert.Equal(0.25, model.Alpha);
        Assert.Equal(direct.Lambda, model.Lambda);
        Assert.Equal(direct.Segments.Select(s => s.Intercept), model.Segments.Select(s => s.Intercept));
        // The transformer keeps the curve and choice it came from (not saved with the model).
        Assert.NotNull(transformer.CrossValidation);
        Assert.Same(model, transformer.CrossValidation.Model);
        Assert.Equal(cv.Selected, transformer.CrossValidation.Selected);
        Assert.Null(ctx.Segmentation.GroupLasso("Response", "DesignedSegment", "Creative", lambda: Lambda).Fit(featurized).CrossValidation);
    }

    /// <summary>The training experiment on the featurized rows, creatives numbered in the pipeline's (ordinal) order.</summary>
    private static MultiCreativeData DirectData(ICausalDataView featurized)
    {
        var p = featurized.Schema["Features"].Type.Size;
        // "creative10" and "creative11" sort before "creative2" in the pipeline's (ordinal) creative order.
        var names = Enumerable.Range(0, 12).Select(c => $"creative{c}").Order(StringComparer.Ordinal).ToArray();
        var index = TrainExperiment.Creatives.ToArray().Select(c => Array.IndexOf(names, $"creative{c}")).ToArray();
        var segments = names.Select(n => TrainExperiment.CreativeSegments[int.Parse(n["creative".Length..], System.Globalization.CultureInfo.InvariantCulture)]).ToArray();
        return new MultiCreativeData(featurized.GetColumn<double>("Features"), p, TrainExperiment.Responses, index, segments);
    }

    private static InMemoryDataView WithText(ICausalDataView data, string column, int row, string value)
    {
        var replaced = data.GetColumn<string>(column).ToArray();
        replaced[row] = value;
        return Rebuild(data, column, b => b.AddText(column, replaced));
    }

    private static InMemoryDataView AsKey(ICausalDataView data, string column)
    {
        var texts = data.GetColumn<string>(column).ToArray();
        var values = texts.Distinct().Order(StringComparer.Ordinal).ToArray();
        var codes = texts.Select(t => Array.BinarySearch(values, t, StringComparer.Ordinal)).ToArray();
        return Rebuild(data, column, b => b.AddKey(column, codes, values));
    }

    private static InMemoryDataView Rebuild(ICausalDataView data, string column, Action<InMemoryDataView.Builder> add)
    {
        var builder = new InMemoryDataView.Builder();
        foreach (var c in data.Schema)
        {
            if (c.Name == column)
                add(builder);
            else if (c.Type.Kind == ColumnKind.Text)
                builder.AddText(c.Name, data.GetColumn<string>(c.Index).ToArray());
            else if (c.Type.Kind == ColumnKind.Key)
                builder.AddKey(c.Name, data.GetColumn<int>(c.Index).Span, c.Type.KeyValues);
            else
                builder.AddDouble(c.Name, data.GetColumn<double>(c.Index).Span);
        }
        return builder.Build();
    }
}
