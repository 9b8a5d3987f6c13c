using Microsoft.ML.Causal.Data;
using Microsoft.ML.Causal.Transforms;

namespace Microsoft.ML.Causal.Tests.Transforms;

/// <summary>Transform outputs on tiny tables, checked against values computed by hand.</summary>
public class TransformValueTests
{
    private static readonly CausalContext Ctx = new(1);

    private static InMemoryDataView Small() => new InMemoryDataView.Builder()
        .AddDouble("x", [1, 2, 3, double.NaN])
        .AddInt32("n", [10, 20, 30, 40])
        .AddBoolean("b", [true, false, true, false])
        .AddText("city", ["paris", "", "berlin", "paris"])
        .AddVector("v", 2, [1, 10, 3, double.NaN, 5, 30, 7, 40], ["lo", "hi"])
        .Build();

    [Fact]
    public void ConcatenateLaysOutSlotsInOrderWithNames()
    {
        var output = Ctx.Transforms.Concatenate("f", "n", "b", "v").Fit(Small()).Transform(Small());
        var f = output.Schema["f"];
        Assert.Equal(ColumnType.Vector(4), f.Type);
        Assert.Equal(["n", "b", "v.lo", "v.hi"], f.SlotNames.ToArray());
        Assert.Equal([10, 1, 1, 10, 20, 0, 3, double.NaN], output.GetColumn<double>("f").Span[..8].ToArray());
    }

    [Fact]
    public void ConcatenateRejectsTextNamingTheFix()
    {
        var e = Assert.Throws<SchemaMismatchException>(() => Ctx.Transforms.Concatenate("f", "x", "city").GetOutputSchema(Small().Schema));
        Assert.Equal("city", e.ColumnName);
        Assert.Equal("Text", e.Actual);
        Assert.Contains("one-hot", e.Message);
    }

    [Fact]
    public void OneHotSortsCategoriesAndEncodesMissingAsZeros()
    {
        var output = Ctx.Transforms.OneHotEncoding("c", "city").Fit(Small()).Transform(Small());
        Assert.Equal(["berlin", "paris"], output.Schema["c"].SlotNames.ToArray());
        Assert.Equal([0, 1, 0, 0, 1, 0, 0, 1], output.GetColumn<double>("c").ToArray());
    }

    [Fact]
    public void OneHotUnseenCategoryIsZeroByDefaultAndAnErrorOnRequest()
    {
        var other = new InMemoryDataView.Builder().AddText("city", ["paris", "rome"]).Build();
        var zero = Ctx.Transforms.OneHotEncoding("c", "city").Fit(Small()).Transform(other);
        Assert.Equal([0, 1, 0, 0], zero.GetColumn<double>("c").ToArray());

        var strict = Ctx.Transforms.OneHotEncoding("c", "city", UnseenCategoryHandling.Error).Fit(Small());
        var e = Assert.Throws<DataValidationException>(() => strict.Transform(other));
        Assert.Equal("city", e.ColumnName);
        Assert.Equal(1, e.Row);
        Assert.Contains("'rome'", e.Message);
    }

    [Fact]
    public void OneHotMatchesKeysByValueNameNotCode()
    {
        var train = new InMemoryDataView.Builder().AddKey("arm", [0, 1, 2], ["a", "b", "c"]).Build();
        var reordered = new InMemoryDataView.Builder().AddKey("arm", [0, 1, -1], ["c", "a", "z"]).Build();
        var output = Ctx.Transforms.OneHotEncoding("h", "arm").Fit(train).Transform(reordered);
        Assert.Equal([0, 0, 1, 1, 0, 0, 0, 0, 0], output.GetColumn<double>("h").ToArray());
    }

    [Fact]
    public void MeanVarianceUsesPopulationDeviationAndKeepsNaN()
    {
        var t = Ctx.Transforms.NormalizeMeanVariance("z", "x").Fit(Small());
        var z = t.Transform(Small()).GetColumn<double>("z").Span;
        var sd = Math.Sqrt(2.0 / 3.0); // values 1, 2, 3: mean 2, population variance 2/3
        Assert.Equal(-1 / sd, z[0], 15);
        Assert.Equal(0, z[1], 15);
        Assert.Equal(1 / sd, z[2], 15);
        Assert.True(double.IsNaN(z[3]));
    }

    [Fact]
    public void MinMaxMapsFittedRangeToUnitIntervalAndConstantToZero()
    {
        var data = new InMemoryDataView.Builder().AddDouble("x", [2, 4, 6]).AddDouble("k", [5, 5, 5]).Build();
        var options = new NormalizeOptions { Columns = [new("x"), new("k")], Mode = NormalizeMode.MinMax };
        var output = Ctx.Transforms.Normalize(options).Fit(data).Transform(data);
        Assert.Equal([0, 0.5, 1], output.GetColumn<double>("x").ToArray());
        Assert.Equal([0, 0, 0], output.GetColumn<double>("k").ToArray());
    }

    [Theory]
    [InlineData(ReplacementMode.Mean, 2.0, 25.0)]
    [InlineData(ReplacementMode.Median, 2.0, 30.0)]
    [InlineData(ReplacementMode.Constant, -1.0, -1.0)]
    public void ReplaceMissingFillsPerSlotAndFlagsMissingRows(ReplacementMode mode, double fillX, double fillHi)
    {
        var options = new ReplaceMissingOptions { Columns = [new("x"), new("v")], Mode = mode, Constant = -1, AddIndicator = true };
        var output = Ctx.Transforms.ReplaceMissingValues(options).Fit(Small()).Transform(Small());
        Assert.Equal([1, 2, 3, fillX], output.GetColumn<double>("x").ToArray());
        Assert.Equal([0, 0, 0, 1], output.GetColumn<double>("x_IsMissing").ToArray());
        // v.hi has 10, NaN, 30, 40: mean 80/3, median 30.
        var expectedHi = mode == ReplacementMode.Mean ? 80.0 / 3 : fillHi;
        Assert.Equal([1, 10, 3, expectedHi, 5, 30, 7, 40], output.GetColumn<double>("v").ToArray());
        Assert.Equal([0, 0, 0, 1, 0, 0, 0, 0], output.GetColumn<double>("v_IsMissing").ToArray());
    }

    [Fact]
    public void ReplaceMissingOnAnAllMissingColumnNamesIt()
    {
        var data = new InMemoryDataView.Builder().AddDouble("x", [double.NaN, double.NaN]).Build();
        var e = Assert.Throws<DataValidationException>(() => Ctx.Transforms.ReplaceMissingValues("x").Fit(data));
        Assert.Equal("x", e.ColumnName);
        Assert.Contains("every value is missing", e.Message);
    }

    [Fact]
    public void FeaturizeOneHotsTextAndPassesNumbers()
    {
        var t = Ctx.Transforms.Featurize("f", "x", "b", "city").Fit(Small());
        var output = t.Transform(Small());
        Assert.Equal(["x", "b", "city.berlin", "city.paris"], output.Schema["f"].SlotNames.ToArray());
        Assert.Equal(4, t.FeatureCount);
        Assert.Equal([1, 1, 0, 1, 2, 0, 0, 0, 3, 1, 1, 0], output.GetColumn<double>("f").Span[..12].ToArray());
        Assert.True(double.IsNaN(output.GetColumn<double>("f").Span[12]));
    }

    [Fact]
    public void FeaturizeWithMeanReplacementAddsIndicatorsOnlyForSlotsThatHadMissingValues()
    {
        var options = new FeaturizeOptions { OutputColumnName = "f", InputColumnNames = ["x", "n", "v"], MissingValues = MissingValueHandling.ReplaceWithMean };
        var output = Ctx.Transforms.Featurize(options).Fit(Small()).Transform(Small());
        Assert.Equal(["x", "x_IsMissing", "n", "v.lo", "v.hi", "v.hi_IsMissing"], output.Schema["f"].SlotNames.ToArray());
        var f = output.GetColumn<double>("f").Span;
        Assert.Equal([3, 0, 30, 5, 30, 0], f.Slice(12, 6).ToArray());
        Assert.Equal([2, 1, 40, 7, 40, 0], f.Slice(18, 6).ToArray());
        Assert.Equal([2, 0, 20, 3, 80.0 / 3, 1], f.Slice(6, 6).ToArray());
    }

    [Fact]
    public void TransformSharesInputColumnsWithoutCopying()
    {
        var input = Small();
        var output = Ctx.Transforms.Concatenate("f", "x").Fit(input).Transform(input);
        Assert.True(input.GetColumn<double>("x").Span == output.GetColumn<double>("x").Span);
    }
}
