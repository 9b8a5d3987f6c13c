using System.Globalization;
using System.Text;
using Microsoft.ML.Causal.Data;
using Microsoft.ML.Causal.Inference;
using Microsoft.ML.Causal.Learners;
using Microsoft.ML.Causal.Simulation;
using Microsoft.ML.Causal.Trainers;

namespace Microsoft.ML.Causal.Tests.Inference;

/// <summary><c>ctx.Analysis.AverageTreatmentEffect</c> on data views: a thin layer over the estimator, and errors naming column and row.</summary>
public class AverageEffectInputTests
{
    /// <summary>A featurized view of CSV text whose feature column is <c>x</c>.</summary>
    private static ICausalDataView View(CausalContext ctx, string csv)
    {
        var raw = ctx.Data.LoadFromText(csv);
        return ctx.Transforms.Featurize("Features", "x").Fit(raw).Transform(raw);
    }

    /// <summary>Ten rows, alternating arms, with an outcome, a cluster, a weight and a propensity column.</summary>
    private static string Csv(Func<int, string>? y = null, Func<int, string>? w = null, Func<int, string>? cluster = null, Func<int, string>? propensity = null)
    {
        var text = new StringBuilder("y,w,x,g,p\n");
        for (var i = 0; i < 10; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"{y?.Invoke(i) ?? (i * 0.5).ToString(CultureInfo.InvariantCulture)},{w?.Invoke(i) ?? (i % 2).ToString(CultureInfo.InvariantCulture)},");
            text.Append(CultureInfo.InvariantCulture, $"{i},{cluster?.Invoke(i) ?? "c" + (i / 2)},{propensity?.Invoke(i) ?? "0.5"}\n");
        }
        return text.ToString();
    }

    private static DataValidationException Fails(string csv, CateColumns? columns = null, AverageEffectMethod method = AverageEffectMethod.DifferenceInMeans)
    {
        var ctx = new CausalContext(1);
        columns ??= new CateColumns("y", "w") { TreatmentKind = TreatmentKind.MultiArm, Cluster = "g" };
        return Assert.Throws<DataValidationException>(() =>
            ctx.Analysis.AverageTreatmentEffect(View(ctx, csv), columns, new AverageEffectOptions { Method = method }));
    }

    [Fact]
    public void ANaNOutcomeNamesTheColumnAndRow()
    {
        var error = Fails(Csv(y: i => i == 3 ? "" : "1"));
        Assert.Equal(("y", 3), (error.ColumnName, error.Row));
        Assert.Contains("'y', row 3", error.Message);
    }

    [Fact]
    public void AMissingClusterNamesTheColumnAndRow()
    {
        var error = Fails(Csv(cluster: i => i == 6 ? "" : "c" + (i / 2)));
        Assert.Equal(("g", 6), (error.ColumnName, error.Row));
        Assert.Contains("cluster", error.Message);
    }

    [Fact]
    public void ATreatmentWithOneArmNamesTheColumn()
    {
        var error = Fails(Csv(w: _ => "1"));
        Assert.Equal("w", error.ColumnName);
        Assert.Contains("only one arm", error.Message);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("1")]
    public void AKnownPropensityOfZeroOrOneNamesTheColumnAndRow(string value)
    {
        var columns = new CateColumns("y", "w") { Propensity = "p" };
        var error = Fails(Csv(propensity: i => i == 4 ? value : "0.5"), columns, AverageEffectMethod.Ipw);
        Assert.Equal(("p", 4), (error.ColumnName, error.Row));
        Assert.Contains("strictly between 0 and 1", error.Message);
    }

    [Fact]
    public void AConstantPropensityOfOneIsRejected()
    {
        var data = AverageEffectExactTests.Table([3, 1, 5, 2, 7], [1, 0, 1, 0, 1]);
        var options = new AverageEffectOptions { Method = AverageEffectMethod.Ipw, Propensity = new PropensityOptions { Constant = 1 } };
        Assert.Throws<ArgumentOutOfRangeException>(() => new AverageEffectEstimator(options).Estimate(data));
    }

    [Fact]
    public void AContinuousTreatmentAndArmsTooSmallForCrossFittingAreRejected()
    {
        var continuous = Fails(Csv(), new CateColumns("y", "w") { TreatmentKind = TreatmentKind.Continuous });
        Assert.Contains("continuous", continuous.Message);
        var small = Fails(Csv(), method: AverageEffectMethod.Aipw); // 5 rows per arm, 5 folds need 10
        Assert.Equal("w", small.ColumnName);
        Assert.Contains("cross-fitting needs at least 10", small.Message);
    }

    [Fact]
    public void TheCatalogGivesTheEstimatorsResultOnTheSameRows()
    {
        var sim = CausalSimulations.NieWagerB(400, 5, seed: 2);
        var csv = new StringBuilder("y,w,x1,x2,x3,x4,x5\n");
        for (var i = 0; i < sim.RowCount; i++)
        {
            var x = string.Join(",", Enumerable.Range(0, 5).Select(j => sim.Features[i * 5 + j].ToString("R", CultureInfo.InvariantCulture)));
            csv.Append(CultureInfo.InvariantCulture, $"{sim.Outcome[i]:R},{sim.Treatment[i]:R},{x}\n");
        }
        var ctx = new CausalContext(1);
        var raw = ctx.Data.LoadFromText(csv.ToString());
        var view = ctx.Transforms.Featurize("Features", "x1", "x2", "x3", "x4", "x5").Fit(raw).Transform(raw);
        var options = AverageEffectSimulationTests.Options(AverageEffectMethod.Aipw, Estimand.Att) with { Seed = 5 };
        var viaCatalog = ctx.Analysis.AverageTreatmentEffect(view, new CateColumns("y", "w"), options);
        var direct = new AverageEffectEstimator(options).Estimate(sim.ToCateData(), new FitContext { Seed = 77 });
        Assert.Equal(direct.Effects.Single().Estimate, viaCatalog.Effects.Single().Estimate);
        Assert.Equal(direct.Effects.Single().StandardError, viaCatalog.Effects.Single().StandardError);

        // The common-arguments overload reads the same columns (any number of arms) and logs each effect.
        var logged = new List<string>();
        ctx.Log += (_, e) => logged.Add(e.Message);
        var common = ctx.Analysis.AverageTreatmentEffect(view, "y", "w", estimand: Estimand.Ate, method: AverageEffectMethod.DifferenceInMeans);
        Assert.Equal(AverageEffectMethod.DifferenceInMeans, common.Method);
        Assert.Equal(400, common.RowCount);
        Assert.Contains(logged, m => m.Contains("Ate of 1 (difference)"));
    }
}
