using Microsoft.ML.Causal.Data;
using Microsoft.ML.Causal.TestFramework;
using Microsoft.ML.Causal.Transforms;

namespace Microsoft.ML.Causal.Tests.Pipeline;

/// <summary>Single-object scoring: exact, and thread-safe.</summary>
public class PredictionEngineTests
{
    public sealed class Customer
    {
        public double Age { get; set; }

        public string Region { get; set; } = "";

        [CausalColumn("Visits")]
        public int VisitCount { get; set; }

        [CausalIgnore]
        public string Note { get; set; } = "not a column";
    }

    public sealed class Scored
    {
        public double[] Features { get; set; } = [];

        public string Region { get; set; } = "";
    }

    private static (CausalContext Ctx, ICausalTransformer Model, List<Customer> Rows) Fitted(int rows)
    {
        var ctx = new CausalContext(3);
        var data = TestTables.Mixed(rows, seed: 4);
        var customers = ctx.Data.CreateEnumerable<Customer>(data).ToList();
        var model = ctx.Transforms.ReplaceMissingValues("Age")
            .Append(ctx.Transforms.Featurize(new FeaturizeOptions { OutputColumnName = "Features", InputColumnNames = ["Age", "Region", "Visits"], Normalize = NormalizeMode.MeanVariance }))
            .Fit(ctx.Data.LoadFromEnumerable(customers));
        return (ctx, model, customers);
    }

    [Fact]
    public void EngineEqualsBatchTransform()
    {
        var (ctx, model, rows) = Fitted(500);
        var batch = ctx.Data.CreateEnumerable<Scored>(model.Transform(ctx.Data.LoadFromEnumerable(rows))).ToList();
        var engine = ctx.Model.CreatePredictionEngine<Customer, Scored>(model);
        for (var i = 0; i < rows.Count; i++)
        {
            var one = engine.Predict(rows[i]);
            Assert.Equal(batch[i].Region, one.Region);
            Assert.Equal(batch[i].Features, one.Features);
        }
    }

    [Fact]
    public void SixteenThreadsScoringOneHundredThousandRowsMatchOneThreadExactly()
    {
        var (ctx, model, _) = Fitted(2_000);
        var rows = ctx.Data.CreateEnumerable<Customer>(TestTables.Mixed(100_000, seed: 9)).ToList();
        var engine = ctx.Model.CreatePredictionEngine<Customer, Scored>(model);
        var single = rows.Select(r => engine.Predict(r).Features).ToArray();

        var parallel = new double[rows.Count][];
        var threads = Enumerable.Range(0, 16).Select(t => new Thread(() =>
        {
            for (var i = t; i < rows.Count; i += 16)
                parallel[i] = engine.Predict(rows[i]).Features;
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        for (var i = 0; i < rows.Count; i++)
        {
            Assert.NotNull(parallel[i]);
            Assert.True(single[i].AsSpan().SequenceEqual(parallel[i]), $"Row {i} differs between one thread and sixteen.");
        }
    }

    [Fact]
    public void AnOutputPropertyWithoutAColumnIsReportedWhenTheEngineIsCreated()
    {
        var (ctx, model, _) = Fitted(50);
        var e = Assert.Throws<SchemaMismatchException>(() => ctx.Model.CreatePredictionEngine<Customer, WrongOutput>(model));
        Assert.Equal("Cate", e.ColumnName);
    }

    [Fact]
    public void AnInputWithoutANeededColumnIsReportedWhenTheEngineIsCreated()
    {
        var (ctx, model, _) = Fitted(50);
        var e = Assert.Throws<SchemaMismatchException>(() => ctx.Model.CreatePredictionEngine<NoRegion, Scored>(model));
        Assert.Equal("Region", e.ColumnName);
        Assert.Contains("step 1", e.Message);
    }

    public sealed class WrongOutput
    {
        public double Cate { get; set; }
    }

    public sealed class NoRegion
    {
        public double Age { get; set; }

        public int Visits { get; set; }
    }
}
