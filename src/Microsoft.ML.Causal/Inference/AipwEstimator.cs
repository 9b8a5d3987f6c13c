using Microsoft.ML.Causal.Trainers;

namespace Microsoft.ML.Causal.Inference;

/// <summary>
/// Augmented inverse-propensity-weighted (doubly robust) average effects from cross-fitted nuisances, for
/// arm a against control c with outcome models μ̂ and propensities ê (all out of fold):
/// <list type="bullet">
/// <item>ATE: the mean of Γᵢ = μ̂ₐ − μ̂_c + 1{Wᵢ=a}(Yᵢ − μ̂ₐ)/êₐ − 1{Wᵢ=c}(Yᵢ − μ̂_c)/ê_c;</item>
/// <item>overlap: the mean of Γᵢ weighted by hᵢ = êₐê_c/(êₐ + ê_c);</item>
/// <item>ATT: Σ[1{W=a}(Y − μ̂_c) − 1{W=c}(êₐ/ê_c)(Y − μ̂_c)] / Σ1{W=a};</item>
/// <item>ATC: Σ[1{W=c}(μ̂ₐ − Y) + 1{W=a}(ê_c/êₐ)(Y − μ̂ₐ)] / Σ1{W=c}.</item>
/// </list>
/// Each is a ratio Σaᵢ/Σbᵢ (row weights multiply both), so <see cref="RatioEstimator"/> gives its
/// (cluster-robust) standard error from the influence function.
/// </summary>
internal static class AipwEstimator
{
    public static AverageEffect Estimate(CateData data, int arm, double[] muArm, double[] muControl, double[] eArm, double[] eControl, Estimand estimand)
    {
        var rows = data.RowIndices();
        var y = data.Outcome.Span;
        var w = data.Treatment.Arms;
        var c = data.Treatment.Control;
        var a = new double[rows.Length];
        var b = new double[rows.Length];
        var count = 0;
        for (var i = 0; i < rows.Length; i++)
        {
            var r = rows[i];
            var weight = data.WeightOf(r);
            bool treated = w[r] == arm, control = w[r] == c;
            switch (estimand)
            {
                case Estimand.Ate:
                case Estimand.Overlap:
                    var gamma = AipwScore.Of(y[r], w[r], arm, c, muArm[r], muControl[r], eArm[r], eControl[r]);
                    var h = TargetPopulation.Weight(estimand, eArm[r], eControl[r]);
                    a[i] = weight * h * gamma;
                    b[i] = weight * h;
                    count++;
                    break;
                case Estimand.Att:
                    a[i] = weight * (treated ? y[r] - muControl[r] : control ? -eArm[r] / eControl[r] * (y[r] - muControl[r]) : 0);
                    b[i] = treated ? weight : 0;
                    count += treated ? 1 : 0;
                    break;
                case Estimand.Atc:
                    a[i] = weight * (control ? muArm[r] - y[r] : treated ? eControl[r] / eArm[r] * (y[r] - muArm[r]) : 0);
                    b[i] = control ? weight : 0;
                    count += control ? 1 : 0;
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(estimand), estimand, "Unknown estimand.");
            }
        }
        var (estimate, se) = RatioEstimator.Compute(a, b, data.ClustersOf(rows));
        return new AverageEffect(data.Treatment.ArmNames[arm], estimand, "aipw", estimate, se, count);
    }
}
