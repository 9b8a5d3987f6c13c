using Microsoft.ML.Causal.Data;
using Microsoft.ML.Causal.TestFramework;
using Microsoft.ML.Causal.Transforms;

namespace Microsoft.ML.Causal.Tests.Pipeline;

public class ChainTests
{
    private static readonly CausalContext Ctx = new(1);
    private static readonly InMemoryDataView Data = TestTables.Mixed(100);

    [Fact]
    public void AppendTypesTheChainByItsLastStep()
    {
        var pipeline = Ctx.Transforms.OneHotEncoding("R", "Region").Append(Ctx.Transforms.Concatenate("F", "R", "Age"));
        CausalTransformerChain<ConcatenateTransformer> model = pipeline.Fit(Data);
        Assert.Equal("F", model.LastTransformer.OutputColumnName);
        Assert.Equal(2, model.Transformers.Length);
        Assert.Single(pipeline.Estimators.Take(1));
    }

    [Fact]
    public void AppendLeavesTheOriginalChainUnchanged()
    {
        var one = new CausalEstimatorChain<ICausalTransformer>().Append(Ctx.Transforms.NormalizeMinMax("Age"));
        var two = one.Append(Ctx.Transforms.Concatenate("F", "Age"));
        Assert.Single(one.Estimators);
        Assert.Equal(2, two.Estimators.Length);
    }

    [Fact]
    public void SchemaErrorNamesStepColumnExpectedAndActualBeforeAnyTraining()
    {
        var pipeline = Ctx.Transforms.NormalizeMeanVariance("Age")
            .Append(Ctx.Transforms.Concatenate("F", "Age", "Region"));
        var e = Assert.Throws<SchemaMismatchException>(() => pipeline.GetOutputSchema(Data.Schema));
        Assert.Equal("step 1 (ConcatenateEstimator)", e.Component);
        Assert.Equal("Region", e.ColumnName);
        Assert.Equal("Text", e.Actual);
        Assert.Contains("numeric scalar", e.Expected);
        Assert.StartsWith("Pipeline step 1 (ConcatenateEstimator): ConcatenateEstimator: column 'Region' has type Text; expected", e.Message);
        Assert.Throws<SchemaMismatchException>(() => pipeline.Fit(Data));
    }

    [Fact]
    public void MissingColumnErrorListsTheColumnsThatExist()
    {
        var e = Assert.Throws<SchemaMismatchException>(() => Ctx.Transforms.Featurize("F", "Agee").GetOutputSchema(Data.Schema));
        Assert.Equal("missing", e.Actual);
        Assert.Contains("'Age'", e.Message);
    }

    [Fact]
    public void AChainSavedUnderItsBaseTypeLoadsUnderItsSpecificType()
    {
        ICausalTransformer model = Ctx.Transforms.NormalizeMinMax("Age").Append(Ctx.Transforms.Concatenate("F", "Age")).Fit(Data);
        var loose = new CausalTransformerChain<ICausalTransformer>(((CausalTransformerChain<ConcatenateTransformer>)model).Transformers);
        using var stream = new MemoryStream();
        Ctx.Model.Save(loose, Data.Schema, stream);
        stream.Position = 0;
        var loaded = Ctx.Model.Load<CausalTransformerChain<ConcatenateTransformer>>(stream, out _);
        Assert.Equal("F", loaded.LastTransformer.OutputColumnName);
    }

    [Fact]
    public void LoadingAsTheWrongTypeIsAModelFileError()
    {
        var model = Ctx.Transforms.NormalizeMinMax("Age").Fit(Data);
        using var stream = new MemoryStream();
        Ctx.Model.Save(model, Data.Schema, stream);
        stream.Position = 0;
        var e = Assert.Throws<Microsoft.ML.Causal.Persistence.ModelFileException>(() => Ctx.Model.Load<OneHotTransformer>(stream, out _));
        Assert.Contains("NormalizeTransformer", e.Message);
    }

    [Fact]
    public void ComponentSeedsAreStableAndDistinct()
    {
        var a = new CausalContext(42);
        var b = new CausalContext(42);
        var seeds = Enumerable.Range(0, 5).Select(_ => a.NextComponentSeed()).ToArray();
        Assert.Equal(seeds, Enumerable.Range(0, 5).Select(_ => b.NextComponentSeed()));
        Assert.Equal(5, seeds.Distinct().Count());
        Assert.Equal(CausalContext.DeriveSeed(42, 1), seeds[0]);
        Assert.All(seeds, s => Assert.True(s >= 0));
    }
}
