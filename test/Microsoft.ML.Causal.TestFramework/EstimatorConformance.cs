using System.Collections;
using System.Reflection;
using Microsoft.ML.Causal.Data;
using Microsoft.ML.Causal.Persistence;
using Xunit;
using Xunit.Sdk;

namespace Microsoft.ML.Causal.TestFramework;

/// <summary>
/// The checks every estimator must pass (ML.NET's TestEstimatorCore plus scikit-learn's check_estimator):
/// schema propagation equals the actual output; a bad schema fails in both GetOutputSchema and Fit; two fits
/// with one seed give identical outputs; Fit changes neither the estimator nor the input; save → load gives
/// bit-identical outputs and identical bytes; single-row scoring equals batch Transform; results do not
/// depend on the thread count; empty input and NaN/∞ where not allowed raise the documented exception
/// naming the column.
/// </summary>
public static class EstimatorConformance
{
    /// <summary>The seed the checks use.</summary>
    public const int Seed = 20261122;

    /// <summary>Runs every check; a failure names the check.</summary>
    public static void Run<T>(ConformanceCase<T> c) where T : class, ICausalTransformer
    {
        Check("schema propagation", () => SchemaPropagation(c));
        Check("bad schema", () => BadSchema(c));
        Check("determinism", () => Determinism(c));
        Check("no mutation", () => NoMutation(c));
        Check("save and load", () => SaveLoad(c));
        Check("row engine equals batch", () => EngineEqualsBatch(c));
        Check("thread count", () => ThreadIndependence(c));
        Check("empty input", () => EmptyInput(c));
        Check("bad values", () => BadValues(c));
    }

    private static void Check(string name, Action check)
    {
        try
        {
            check();
        }
        catch (XunitException e)
        {
            throw new XunitException($"Conformance check '{name}' failed: {e.Message}");
        }
        catch (Exception e)
        {
            throw new XunitException($"Conformance check '{name}' threw {e.GetType().Name}: {e.Message}\n{e.StackTrace}");
        }
    }

    private static ICausalDataView Scoring<T>(ConformanceCase<T> c) where T : class, ICausalTransformer => c.ScoringData ?? c.TrainData;

    /// <summary>The estimator's promised schema matches what its transformer produces.</summary>
    public static void SchemaPropagation<T>(ConformanceCase<T> c) where T : class, ICausalTransformer
    {
        var estimator = c.Create(new CausalContext(Seed));
        var promised = estimator.GetOutputSchema(c.TrainData.Schema);
        var model = estimator.Fit(c.TrainData);
        var output = model.Transform(Scoring(c));
        Assert.Equal(promised.Select(p => p.Name), output.Schema.Select(p => p.Name));
        foreach (var p in promised)
            Assert.True(p.Type.IsSatisfiedBy(output.Schema[p.Name].Type), $"Column '{p.Name}': promised {p.Type}, produced {output.Schema[p.Name].Type}.");
        Assert.True(model.GetOutputSchema(Scoring(c).Schema).Equals(output.Schema), "The transformer's GetOutputSchema differs from its Transform output schema.");
    }

    /// <summary>Each bad schema fails in GetOutputSchema and in Fit, naming the column.</summary>
    public static void BadSchema<T>(ConformanceCase<T> c) where T : class, ICausalTransformer
    {
        foreach (var (data, column) in c.BadSchemas)
        {
            var estimator = c.Create(new CausalContext(Seed));
            var e1 = Assert.Throws<SchemaMismatchException>(() => estimator.GetOutputSchema(data.Schema));
            Assert.Equal(column, e1.ColumnName);
            Assert.Contains($"'{column}'", e1.Message);
            var e2 = Assert.Throws<SchemaMismatchException>(() => estimator.Fit(data));
            Assert.Equal(column, e2.ColumnName);
            // A fitted transformer rejects the same schema when scoring, unless only fitting reads the column.
            var model = estimator.Fit(c.TrainData);
            if (!c.TrainingOnlyColumns.Contains(column))
                Assert.Throws<SchemaMismatchException>(() => model.GetOutputSchema(data.Schema));
        }
    }

    /// <summary>Two fits with the same seed (fresh estimators, and the same estimator twice) give identical outputs.</summary>
    public static void Determinism<T>(ConformanceCase<T> c) where T : class, ICausalTransformer
    {
        var a = c.Create(new CausalContext(Seed));
        var b = c.Create(new CausalContext(Seed));
        var first = a.Fit(c.TrainData).Transform(Scoring(c));
        DataViewAssert.Identical(first, b.Fit(c.TrainData).Transform(Scoring(c)), "(fresh estimator, same seed)");
        DataViewAssert.Identical(first, a.Fit(c.TrainData).Transform(Scoring(c)), "(same estimator fitted twice)");
    }

    /// <summary>Fit changes neither the estimator's settings nor the input's values.</summary>
    public static void NoMutation<T>(ConformanceCase<T> c) where T : class, ICausalTransformer
    {
        var estimator = c.Create(new CausalContext(Seed));
        var describe = c.DescribeSettings ?? DescribeProperties;
        var before = describe(estimator);
        var snapshot = InMemoryDataView.SelectRows(c.TrainData, Enumerable.Range(0, c.TrainData.RowCount).ToArray());
        estimator.Fit(c.TrainData).Transform(c.TrainData);
        Assert.Equal(before, describe(estimator));
        DataViewAssert.Identical(snapshot, c.TrainData, "(input after Fit and Transform)");
    }

    /// <summary>Save → load → identical outputs and identical bytes; the same model saved twice gives identical bytes.</summary>
    public static void SaveLoad<T>(ConformanceCase<T> c) where T : class, ICausalTransformer
    {
        var ctx = new CausalContext(Seed);
        var model = c.Create(ctx).Fit(c.TrainData);
        var bytes = Save(ctx, model, c.TrainData.Schema);
        Assert.Equal(bytes, Save(ctx, model, c.TrainData.Schema));
        var loaded = ctx.Model.Load<T>(new MemoryStream(bytes), out var schema);
        Assert.IsType<T>(loaded);
        Assert.True(schema.Equals(c.TrainData.Schema), "The loaded input schema differs from the saved one.");
        DataViewAssert.Identical(model.Transform(Scoring(c)), loaded.Transform(Scoring(c)), "(after save and load)");
        Assert.Equal(bytes, Save(ctx, loaded, schema));
        // Inside a chain too, with the chain's static type restored.
        var chain = new CausalTransformerChain<T>([model]);
        var chainBytes = Save(ctx, chain, c.TrainData.Schema);
        var loadedChain = ctx.Model.Load<CausalTransformerChain<T>>(new MemoryStream(chainBytes), out _);
        Assert.IsType<T>(loadedChain.LastTransformer);
        DataViewAssert.Identical(model.Transform(Scoring(c)), loadedChain.Transform(Scoring(c)), "(chain after save and load)");
    }

    /// <summary>Scoring row by row through the engine gives exactly the batch output.</summary>
    public static void EngineEqualsBatch<T>(ConformanceCase<T> c) where T : class, ICausalTransformer
    {
        var ctx = new CausalContext(Seed);
        var model = c.Create(ctx).Fit(c.TrainData);
        var data = Scoring(c);
        var batch = model.Transform(data);
        var engine = ctx.Model.CreateRowEngine(model, data.Schema);
        var input = new CausalRowCursor(data);
        var expected = new CausalRowCursor(batch);
        while (input.MoveNext() && expected.MoveNext())
            DataViewAssert.RowIdentical(expected.Current, engine.Predict(input.Current), input.Position);
    }

    /// <summary>Fitting and transforming with one worker thread and with several give identical outputs.</summary>
    public static void ThreadIndependence<T>(ConformanceCase<T> c) where T : class, ICausalTransformer
    {
        var one = OnThreads(1, () => c.Create(new CausalContext(Seed)).Fit(c.TrainData).Transform(Scoring(c)));
        var many = OnThreads(8, () => c.Create(new CausalContext(Seed)).Fit(c.TrainData).Transform(Scoring(c)));
        DataViewAssert.Identical(one, many, "(1 thread vs 8)");
    }

    /// <summary>Fitting on zero rows raises <see cref="DataValidationException"/> naming an input column.</summary>
    public static void EmptyInput<T>(ConformanceCase<T> c) where T : class, ICausalTransformer
    {
        var empty = InMemoryDataView.SelectRows(c.TrainData, ReadOnlySpan<int>.Empty);
        var estimator = c.Create(new CausalContext(Seed));
        if (!c.RejectsEmptyInput)
        {
            Assert.Equal(0, estimator.Fit(empty).Transform(empty).RowCount);
            return;
        }
        var e = Assert.Throws<DataValidationException>(() => estimator.Fit(empty));
        Assert.True(empty.Schema.TryGetColumn(e.ColumnName, out _), $"The error names '{e.ColumnName}', which is not an input column.");
        Assert.Contains($"'{e.ColumnName}'", e.Message);
    }

    /// <summary>Each bad-value input raises <see cref="DataValidationException"/> naming the column.</summary>
    public static void BadValues<T>(ConformanceCase<T> c) where T : class, ICausalTransformer
    {
        foreach (var (data, column) in c.BadValues)
        {
            var e = Assert.Throws<DataValidationException>(() => c.Create(new CausalContext(Seed)).Fit(data));
            Assert.Equal(column, e.ColumnName);
            Assert.Contains($"'{column}'", e.Message);
        }
    }

    /// <summary>Runs <paramref name="work"/> where parallel loops get at most <paramref name="threads"/> workers.</summary>
    public static TResult OnThreads<TResult>(int threads, Func<TResult> work)
    {
        var scheduler = new ConcurrentExclusiveSchedulerPair(TaskScheduler.Default, threads).ConcurrentScheduler;
        return Task.Factory.StartNew(work, CancellationToken.None, TaskCreationOptions.None, scheduler).GetAwaiter().GetResult();
    }

    private static byte[] Save(CausalContext ctx, ICausalTransformer model, DataSchema schema)
    {
        using var stream = new MemoryStream();
        ctx.Model.Save(model, schema, stream);
        return stream.ToArray();
    }

    private static string DescribeProperties(object estimator) => string.Join("\n",
        estimator.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(p => $"{p.Name}={Describe(p.GetValue(estimator))}"));

    private static string Describe(object? value) => value switch
    {
        null => "null",
        string s => s,
        IEnumerable items => "[" + string.Join(", ", items.Cast<object?>().Select(Describe)) + "]",
        _ when value.GetType().GetMethod("<Clone>$") is not null => DescribeProperties(value), // a record: its properties
        _ => value.ToString() ?? "",
    };
}
