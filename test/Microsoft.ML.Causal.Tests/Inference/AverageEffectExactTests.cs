using Microsoft.ML.Causal.Inference;
using Microsoft.ML.Causal.Learners;
using Microsoft.ML.Causal.Trainers;

namespace Microsoft.ML.Causal.Tests.Inference;

/// <summary>Average effects on tables small enough to compute by hand.</summary>
public class AverageEffectExactTests
{
    /// <summary>A table with one meaningless feature (the methods here do not read it).</summary>
    internal static CateData Table(double[] y, double[] w, double[]? weights = null, int[]? clusters = null, double[]? propensity = null) =>
        new(new FeatureMatrix(y.Select((_, i) => (double)i).ToArray(), y.Length, 1), y, TreatmentAssignment.FromValues(w, 0, "w"))
        {
            Weights = weights, Clusters = clusters, Propensity = propensity, OutcomeColumnName = "y",
        };

    private static AverageEffect Run(CateData data, AverageEffectMethod method, Estimand estimand = Estimand.Ate, PropensityOptions? propensity = null) =>
        new AverageEffectEstimator(new AverageEffectOptions { Method = method, Estimand = estimand, Propensity = propensity ?? new PropensityOptions() })
            .Estimate(data).Effects.Single();

    public static TheoryData<Estimand> Estimands => [Estimand.Ate, Estimand.Att, Estimand.Atc, Estimand.Overlap];

    [Theory]
    [MemberData(nameof(Estimands))]
    public void DifferenceInMeansAndItsStandardErrorByHand(Estimand estimand)
    {
        // Treated 3, 5, 7 (mean 5); control 1, 2 (mean 1.5). ψ = (Y − 5)/3 on the treated, −(Y − 1.5)/2 on the
        // controls; SE² = n/(n − 1)·Σψ² with n = 5.
        var data = Table([3, 1, 5, 2, 7], [1, 0, 1, 0, 1]);
        var result = new AverageEffectEstimator(new AverageEffectOptions { Method = AverageEffectMethod.DifferenceInMeans, Estimand = estimand }).Estimate(data);
        var effect = result.Effects.Single();
        Assert.Equal(3.5, effect.Estimate, 12);
        Assert.Equal(Math.Sqrt(5.0 / 4 * (8.0 / 9 + 0.5 / 4)), effect.StandardError, 12);
        Assert.Equal(("1", "difference", estimand, 5), (effect.Arm, effect.Method, effect.Estimand, effect.Count));
        Assert.Equal("0", result.ControlArm);
        Assert.Null(result.Overlap); // no propensities were used
    }

    [Fact]
    public void ClusterRobustStandardErrorByHand()
    {
        // Clusters {3, 1}, {5, 2}, {7, 4} (treated, control). Means 5 and 7/3, so θ = 8/3. ψ treated: (Y − 5)/3 =
        // −2/3, 0, 2/3; ψ control: −(Y − 7/3)/3 = 4/9, 1/9, −5/9. Cluster sums −2/9, 1/9, 1/9; SE² = 3/2·6/81 = 1/9.
        var data = Table([3, 1, 5, 2, 7, 4], [1, 0, 1, 0, 1, 0], clusters: [1, 1, 2, 2, 3, 3]);
        var effect = Run(data, AverageEffectMethod.DifferenceInMeans);
        Assert.Equal(8.0 / 3, effect.Estimate, 12);
        Assert.Equal(1.0 / 3, effect.StandardError, 12);

        // Without the clusters, each row is its own cluster: SE² = 6/5·Σψ² over the same ψ.
        var psi = new[] { -2.0 / 3, 4.0 / 9, 0, 1.0 / 9, 2.0 / 3, -5.0 / 9 };
        Assert.Equal(Math.Sqrt(6.0 / 5 * psi.Sum(p => p * p)), Run(Table([3, 1, 5, 2, 7, 4], [1, 0, 1, 0, 1, 0]), AverageEffectMethod.DifferenceInMeans).StandardError, 12);
    }

    [Theory]
    [MemberData(nameof(Estimands))]
    public void IpwWithAKnownConstantPropensityIsTheHandFormula(Estimand estimand)
    {
        // With e ≡ 0.3, every estimand's Hájek weights are constant within an arm (h/e on the treated, h/(1 − e) on
        // the controls), so each normalized mean is the plain mean: (3 + 5 + 7)/3 − (1 + 2)/2, with the SE of the
        // difference in means.
        var data = Table([3, 1, 5, 2, 7], [1, 0, 1, 0, 1]);
        var ipw = new AverageEffectEstimator(new AverageEffectOptions { Method = AverageEffectMethod.Ipw, Estimand = estimand, Propensity = new PropensityOptions { Constant = 0.3 } })
            .Estimate(data);
        var effect = ipw.Effects.Single();
        Assert.Equal(15.0 / 3 - 3.0 / 2, effect.Estimate, 12);
        Assert.Equal(Math.Sqrt(5.0 / 4 * (8.0 / 9 + 0.5 / 4)), effect.StandardError, 12);
        Assert.Equal(new OverlapDiagnostics(0.3, 0.7, 0, 0.01, 0.99, Known: true), ipw.Overlap);
    }

    [Fact]
    public void IpwWithAKnownPropensityColumnIsTheHajekFormula()
    {
        double[] y = [4, 6, 3, 1, 2, 5], w = [1, 1, 1, 0, 0, 0], e = [0.5, 0.25, 0.8, 0.4, 0.6, 0.2];
        var data = Table(y, w, propensity: e);

        // ATE: treated weighted by 1/e, controls by 1/(1 − e).
        var ate = Run(data, AverageEffectMethod.Ipw);
        var treated = (4 / 0.5 + 6 / 0.25 + 3 / 0.8) / (1 / 0.5 + 1 / 0.25 + 1 / 0.8);
        var control = (1 / 0.6 + 2 / 0.4 + 5 / 0.8) / (1 / 0.6 + 1 / 0.4 + 1 / 0.8);
        Assert.Equal(treated - control, ate.Estimate, 12);
        Assert.Equal(HajekStandardError(y, w, [1 / 0.5, 1 / 0.25, 1 / 0.8, 1 / 0.6, 1 / 0.4, 1 / 0.8]), ate.StandardError, 12);

        // ATT: the treated's plain mean; controls weighted by e/(1 − e).
        var att = Run(data, AverageEffectMethod.Ipw, Estimand.Att);
        var controlAtt = (0.4 / 0.6 * 1 + 0.6 / 0.4 * 2 + 0.2 / 0.8 * 5) / (0.4 / 0.6 + 0.6 / 0.4 + 0.2 / 0.8);
        Assert.Equal(13.0 / 3 - controlAtt, att.Estimate, 12);
        Assert.Equal(HajekStandardError(y, w, [1, 1, 1, 0.4 / 0.6, 0.6 / 0.4, 0.2 / 0.8]), att.StandardError, 12);

        // Overlap (two arms): treated weighted by 1 − e, controls by e.
        var overlap = Run(data, AverageEffectMethod.Ipw, Estimand.Overlap);
        var treatedOverlap = (0.5 * 4 + 0.75 * 6 + 0.2 * 3) / (0.5 + 0.75 + 0.2);
        var controlOverlap = (0.4 * 1 + 0.6 * 2 + 0.2 * 5) / (0.4 + 0.6 + 0.2);
        Assert.Equal(treatedOverlap - controlOverlap, overlap.Estimate, 12);
    }

    /// <summary>SE² = n/(n − 1)·Σψ², ψ = v(Y − Ȳ_arm)/Σ_arm v with the sign of the arm, Ȳ the v-weighted arm mean.</summary>
    private static double HajekStandardError(double[] y, double[] w, double[] v)
    {
        var sum = 0.0;
        foreach (var arm in new[] { 0.0, 1.0 })
        {
            var rows = Enumerable.Range(0, y.Length).Where(i => w[i] == arm).ToArray();
            var total = rows.Sum(i => v[i]);
            var mean = rows.Sum(i => v[i] * y[i]) / total;
            sum += rows.Sum(i => Math.Pow(v[i] * (y[i] - mean) / total, 2));
        }
        return Math.Sqrt(y.Length / (y.Length - 1.0) * sum);
    }

    [Theory]
    [InlineData(AverageEffectMethod.DifferenceInMeans)]
    [InlineData(AverageEffectMethod.Ipw)]
    public void AWeightOfTwoIsTheRowTwiceInItsCluster(AverageEffectMethod method)
    {
        // Weights act as copies: with clusters, a copy in the same cluster leaves the cluster sums, and so the SE, unchanged.
        var weighted = Table([3, 1, 5, 2, 7, 4], [1, 0, 1, 0, 1, 0], weights: [1, 2, 1, 1, 2, 1], clusters: [1, 1, 2, 2, 3, 3],
            propensity: [0.5, 0.4, 0.6, 0.3, 0.7, 0.5]);
        var copied = Table([3, 1, 1, 5, 2, 7, 7, 4], [1, 0, 0, 1, 0, 1, 1, 0], clusters: [1, 1, 1, 2, 2, 3, 3, 3],
            propensity: [0.5, 0.4, 0.4, 0.6, 0.3, 0.7, 0.7, 0.5]);
        var a = Run(weighted, method);
        var b = Run(copied, method);
        Assert.Equal(b.Estimate, a.Estimate, 12);
        Assert.Equal(b.StandardError, a.StandardError, 12);
    }
}
