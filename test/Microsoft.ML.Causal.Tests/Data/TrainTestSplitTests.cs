using Microsoft.ML.Causal.Data;
using Microsoft.ML.Causal.TestFramework;

namespace Microsoft.ML.Causal.Tests.Data;

public class TrainTestSplitTests
{
    [Fact]
    public void SameSeedGivesTheSameSplitAndRowsKeepTheirOrder()
    {
        var data = new InMemoryDataView.Builder().AddInt32("id", Enumerable.Range(0, 1000).ToArray()).Build();
        var a = new CausalContext(5).Data.TrainTestSplit(data, 0.25, seed: 11);
        var b = new CausalContext(6).Data.TrainTestSplit(data, 0.25, seed: 11);
        DataViewAssert.Identical(a.TestSet, b.TestSet);
        Assert.Equal(250, a.TestSet.RowCount);
        Assert.Equal(750, a.TrainSet.RowCount);
        var test = a.TestSet.GetColumn<int>("id").ToArray();
        var train = a.TrainSet.GetColumn<int>("id").ToArray();
        Assert.Equal(test.Order(), test);
        Assert.Empty(test.Intersect(train));
        Assert.Equal(1000, test.Union(train).Count());
    }

    [Fact]
    public void TheContextSeedDrivesSplitsWhenNoneIsGiven()
    {
        var data = new InMemoryDataView.Builder().AddInt32("id", Enumerable.Range(0, 200).ToArray()).Build();
        var a = new CausalContext(5).Data.TrainTestSplit(data);
        var b = new CausalContext(5).Data.TrainTestSplit(data);
        var c = new CausalContext(6).Data.TrainTestSplit(data);
        DataViewAssert.Identical(a.TestSet, b.TestSet);
        Assert.NotEqual(a.TestSet.GetColumn<int>("id").ToArray(), c.TestSet.GetColumn<int>("id").ToArray());
    }

    [Fact]
    public void StratificationSplitsEachValueInProportion()
    {
        // 900 control rows and 100 treated rows: a 20 % test set holds 180 and 20 of them.
        var treated = Enumerable.Range(0, 1000).Select(i => i % 10 == 0).ToArray();
        var data = new InMemoryDataView.Builder().AddBoolean("w", treated).Build();
        var split = new CausalContext(1).Data.TrainTestSplit(data, 0.2, stratificationColumnName: "w");
        Assert.Equal(20, split.TestSet.GetColumn<bool>("w").ToArray().Count(x => x));
        Assert.Equal(180, split.TestSet.GetColumn<bool>("w").ToArray().Count(x => !x));
    }

    [Fact]
    public void BadArgumentsAreNamed()
    {
        var data = new InMemoryDataView.Builder().AddInt32("id", [1, 2, 3]).Build();
        var ctx = new CausalContext(1);
        Assert.Throws<ArgumentOutOfRangeException>(() => ctx.Data.TrainTestSplit(data, 1.0));
        Assert.Equal("group", Assert.Throws<SchemaMismatchException>(() => ctx.Data.TrainTestSplit(data, 0.5, "group")).ColumnName);
    }
}
