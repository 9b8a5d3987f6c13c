using System.Globalization;
using Microsoft.ML.Causal.Learners;
using Microsoft.ML.Causal.TestFramework;
using Microsoft.ML.Causal.Trainers;
using Xunit.Abstractions;

namespace Microsoft.ML.Causal.Tests.Trainers;

public class IhdpTests(ITestOutputHelper output)
{
    /// <summary>One IHDP replication: 25 covariates (x14 recoded 1/2 → 0/1), the factual outcome, the treatment, and the true effect μ₁ − μ₀.</summary>
    internal static (CateData Data, double[] Truth) Load(int replication)
    {
        var lines = File.ReadAllLines(SharedData.Path("ihdp", $"ihdp_npci_{replication}.csv")).Skip(1).ToArray();
        var n = lines.Length;
        var x = new double[n * 25];
        var y = new double[n];
        var w = new double[n];
        var truth = new double[n];
        for (var i = 0; i < n; i++)
        {
            var v = lines[i].Split(',').Select(s => double.Parse(s, CultureInfo.InvariantCulture)).ToArray();
            w[i] = v[0];
            y[i] = v[1];
            truth[i] = v[4] - v[3];
            for (var j = 0; j < 25; j++)
                x[i * 25 + j] = v[5 + j] - (j == 13 ? 1 : 0);
        }
        var features = new FeatureMatrix(x, n, 25, Enumerable.Range(1, 25).Select(j => $"x{j}"));
        return (new CateData(features, y, TreatmentAssignment.FromValues(w, 0, "treatment")) { OutcomeColumnName = "y_factual" }, truth);
    }

    [SharedDataFact]
    public void TheBestEstimatorsMedianRootPeheIsWithinBartsPublished21()
    {
        var methods = new[] { "s", "t", "x", "r", "dr", "linear-dml" };
        var pehe = methods.ToDictionary(m => m, _ => new List<double>());
        for (var rep = 1; rep <= 5; rep++)
        {
            var (data, truth) = Load(rep);
            foreach (var method in methods)
            {
                var model = CateEstimatorTests.Create(method).Fit(data, new FitContext { Seed = rep });
                var x = data.Features;
                var root = Math.Sqrt(Enumerable.Range(0, x.RowCount).Average(i => Math.Pow(model.PredictCate(x.Row(i)) - truth[i], 2)));
                pehe[method].Add(root);
            }
        }
        foreach (var (method, values) in pehe)
            output.WriteLine($"{method}: √PEHE per replication {string.Join(", ", values.Select(v => v.ToString("F2", CultureInfo.InvariantCulture)))}; median {Median(values):F2}");
        var best = pehe.MinBy(p => Median(p.Value));
        Assert.True(Median(best.Value) <= 2.1, $"best estimator {best.Key}: median √PEHE {Median(best.Value):F2} > 2.1");
    }

    [SharedDataFact]
    public void TheCausalForestsAteIntervalCoversTheTrueAteOnEveryReplication()
    {
        for (var rep = 1; rep <= 5; rep++)
        {
            var (data, truth) = Load(rep);
            var model = new Microsoft.ML.Causal.Forests.CausalForest().Fit(data, new FitContext { Seed = rep });
            var x = data.Features;
            var root = Math.Sqrt(Enumerable.Range(0, x.RowCount).Average(i => Math.Pow(model.PredictCate(x.Row(i)) - truth[i], 2)));
            var ate = model.AverageEffects.Single(a => a.Estimand == Microsoft.ML.Causal.Inference.Estimand.Ate);
            var (lower, upper) = ate.Interval(0.95);
            output.WriteLine($"replication {rep}: √PEHE {root:F2}; ATE {ate.Estimate:F3} ± {ate.StandardError:F3} against {truth.Average():F3} (error {ate.Estimate - truth.Average():+0.000;-0.000})");
            Assert.True(lower <= truth.Average() && truth.Average() <= upper, $"replication {rep}: 95 % CI [{lower:F3}, {upper:F3}] misses the true ATE {truth.Average():F3}");
        }
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
}
