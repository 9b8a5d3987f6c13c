using System.Collections.Immutable;
using Microsoft.ML.Causal.Learners;
using Microsoft.ML.Causal.Trainers;

namespace Microsoft.ML.Causal.Inference;

/// <summary>
/// Average treatment effects on plain arrays (layer 3): for every non-control arm a against control c, the ATE,
/// ATT, ATC or overlap-weighted effect (<see cref="Estimand"/>) by AIPW, IPW, difference in means or regression
/// adjustment (<see cref="AverageEffectMethod"/>), with row weights and cluster-robust standard errors.
/// </summary>
/// <remarks>
/// <para>
/// Nuisances are cross-fitted (K folds stratified by arm): outcome models μ̂ₐ per arm and propensities êₐ —
/// learned (for several arms one classifier per arm, normalized), or known from <see cref="CateData.Propensity"/>,
/// a constant or arm shares — clipped to the bounds of <see cref="PropensityOptions"/>, with the overlap
/// diagnostics on the result and in the log. h(x) below is the estimand's target weight: 1 (ATE), êₐ (ATT),
/// ê_c (ATC), êₐê_c/(êₐ + ê_c) (overlap).
/// </para>
/// <para>
/// Every standard error is the sandwich of an influence function ψᵢ summed within clusters:
/// SE² = C/(C − 1)·Σ_c(Σ_{i∈c} ψᵢ)², C the number of clusters (each row its own without a cluster column).
/// </para>
/// <list type="bullet">
/// <item><b>AIPW</b>: the estimate is a ratio Σaᵢ/Σbᵢ of AIPW scores (ATE and overlap: the h-weighted mean of
/// Γᵢ = μ̂ₐ − μ̂_c + 1{W=a}(Y − μ̂ₐ)/êₐ − 1{W=c}(Y − μ̂_c)/ê_c; ATT and ATC: the orthogonal scores of
/// <c>AipwEstimator</c>), ψᵢ = (aᵢ − bᵢθ̂)/Σb. The scores are Neyman-orthogonal, so with cross-fitting the
/// nuisances' estimation does not enter the first-order variance. The overlap weights ĥ are taken as given: the
/// estimand is the effect on the population weighted by the estimated ĥ.</item>
/// <item><b>IPW</b> (Hájek): θ̂ = Σ_{W=a}vY/Σ_{W=a}v − Σ_{W=c}vY/Σ_{W=c}v with vᵢ = ωᵢh(xᵢ)/ê_{Wᵢ}(xᵢ), and
/// ψᵢ = vᵢ[1{W=a}(Y − Ȳₐ)/Σₐv − 1{W=c}(Y − Ȳ_c)/Σ_c v], the influence function of the ratio with ê fixed. Exact
/// for known propensities. For learned ones it leaves out their estimation, which is conservative when ê converges
/// fast enough (Hirano, Imbens and Ridder 2003: estimating e lowers IPW's variance to the efficient bound); but an
/// error in ê biases IPW at first order, so prefer AIPW when propensities are learned.</item>
/// <item><b>Difference in means</b>: the same with vᵢ = ωᵢ (no propensities, no features); equal for every estimand,
/// and unbiased for them only under randomization with a constant propensity.</item>
/// <item><b>Regression adjustment</b>: θ̂ = Σωᵢtᵢ(μ̂ₐ − μ̂_c)(xᵢ)/Σωᵢtᵢ with tᵢ = 1 (ATE), 1{W=a} (ATT),
/// 1{W=c} (ATC) or ĥᵢ (overlap). Treating μ̂ as fixed would leave out the outcome models' estimation error, which
/// enters this estimator at first order (its SE would vanish for a constant effect). Its standard error is instead
/// that of the efficient influence function — the AIPW ψᵢ above at the same cross-fitted μ̂ and ê — which is
/// the regression estimator's own influence function when its outcome models are consistent nonparametric
/// fits (Hahn 1998; Imbens, Newey and Ridder 2005). So it needs propensities, learned unless known.</item>
/// </list>
/// </remarks>
public sealed class AverageEffectEstimator
{
    private const string Component = "AverageTreatmentEffect";

    /// <summary>Creates the estimator; the options are checked by <see cref="Estimate"/>.</summary>
    public AverageEffectEstimator(AverageEffectOptions? options = null) => Options = options ?? new AverageEffectOptions();

    /// <summary>The options.</summary>
    public AverageEffectOptions Options { get; }

    /// <summary>Estimates the effect of every non-control arm; never mutates the estimator or the data.</summary>
    /// <param name="data">Features, outcome, discrete treatment (two or more arms), and optional weights, clusters and known propensities.</param>
    /// <param name="context">Seed (overridden by <see cref="AverageEffectOptions.Seed"/>), threads, cancellation and log.</param>
    /// <exception cref="DataValidationException">A bad value (named by column and row), a continuous treatment, one arm, or an arm too small for cross-fitting.</exception>
    public AverageEffectResult Estimate(CateData data, FitContext? context = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        context ??= FitContext.Default;
        context = context with
        {
            Seed = Options.Seed ?? context.Seed,
            MaxDegreeOfParallelism = Options.MaxDegreeOfParallelism > 0 ? Options.MaxDegreeOfParallelism : context.MaxDegreeOfParallelism,
        };
        Validate(data);

        var t = data.Treatment;
        var cache = new NuisanceCache(data, Options.Folds, Options.OutcomeLearner, Options.PropensityLearner, Options.Propensity, context, Component);
        var effects = ImmutableArray.CreateBuilder<AverageEffect>(t.EffectCount);
        for (var k = 0; k < t.EffectCount; k++)
        {
            var effect = EstimateArm(cache, t.ArmOfEffect(k));
            if (!double.IsFinite(effect.Estimate) || !double.IsFinite(effect.StandardError))
            {
                throw new InvalidOperationException(
                    $"{Component}: the {MethodName(Options.Method)} estimate of arm '{effect.Arm}' is not finite ({effect.Estimate}, SE {effect.StandardError}); check the outcome's scale and the propensities' overlap.");
            }
            context.Log?.Invoke(CausalLogKind.Info, Component, effect.ToString());
            effects.Add(effect);
        }
        return new AverageEffectResult(Options.Method, Options.Estimand, t.ArmNames[t.Control], effects.MoveToImmutable(), data.Count, cache.Overlap);
    }

    /// <summary>The method's name as the CLI's <c>--method</c> and <see cref="AverageEffect.Method"/> spell it.</summary>
    internal static string MethodName(AverageEffectMethod method) => method switch
    {
        AverageEffectMethod.Aipw => "aipw",
        AverageEffectMethod.Ipw => "ipw",
        AverageEffectMethod.DifferenceInMeans => "difference",
        AverageEffectMethod.RegressionAdjustment => "regression",
        _ => throw new ArgumentOutOfRangeException(nameof(method), method, "Unknown method."),
    };

    private AverageEffect EstimateArm(NuisanceCache cache, int arm)
    {
        var data = cache.Data;
        var control = data.Treatment.Control;
        var estimand = Options.Estimand;
        var name = MethodName(Options.Method);
        switch (Options.Method)
        {
            case AverageEffectMethod.DifferenceInMeans:
                return HajekContrast.Estimate(data, arm, data.WeightOf, estimand, name, Component);
            case AverageEffectMethod.Ipw:
            {
                var e = cache.Propensities;
                var w = data.Treatment.Arms.ToArray();
                return HajekContrast.Estimate(data, arm, r => data.WeightOf(r) * TargetPopulation.Weight(estimand, e[arm][r], e[control][r]) / e[w[r]][r],
                    estimand, name, Component);
            }
            case AverageEffectMethod.Aipw:
            {
                var (mu, e) = (cache.ArmOutcomes, cache.Propensities);
                return AipwEstimator.Estimate(data, arm, mu[arm], mu[control], e[arm], e[control], estimand);
            }
            case AverageEffectMethod.RegressionAdjustment:
            {
                var (mu, e) = (cache.ArmOutcomes, cache.Propensities);
                var efficient = AipwEstimator.Estimate(data, arm, mu[arm], mu[control], e[arm], e[control], estimand);
                return efficient with { Method = name, Estimate = Regression(data, arm, mu, e, estimand) };
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(Options.Method), Options.Method, $"{Component}: unknown method.");
        }
    }

    /// <summary>Σωt(μ̂ₐ − μ̂_c)/Σωt over the target population t.</summary>
    private static double Regression(CateData data, int arm, double[][] mu, double[][] e, Estimand estimand)
    {
        var control = data.Treatment.Control;
        var w = data.Treatment.Arms;
        double sum = 0, total = 0;
        foreach (var r in data.RowIndices())
        {
            var target = estimand switch
            {
                Estimand.Ate => 1,
                Estimand.Att => w[r] == arm ? 1 : 0,
                Estimand.Atc => w[r] == control ? 1 : 0,
                _ => TargetPopulation.Weight(estimand, e[arm][r], e[control][r]),
            };
            var weight = data.WeightOf(r) * target;
            sum += weight * (mu[arm][r] - mu[control][r]);
            total += weight;
        }
        if (!(total > 0))
            throw new InvalidOperationException($"{Component}: no rows carry weight in the target population of the {estimand}.");
        return sum / total;
    }

    private void Validate(CateData data)
    {
        if (!Enum.IsDefined(Options.Method))
            throw new ArgumentOutOfRangeException(nameof(Options.Method), Options.Method, $"{Component}: unknown method.");
        if (!Enum.IsDefined(Options.Estimand))
            throw new ArgumentOutOfRangeException(nameof(Options.Estimand), Options.Estimand, $"{Component}: unknown estimand.");
        if (Options.Folds < 2)
            throw new ArgumentOutOfRangeException(nameof(Options.Folds), Options.Folds, $"{Component}: cross-fitting needs at least 2 folds.");
        if (Options.MaxDegreeOfParallelism < 0)
            throw new ArgumentOutOfRangeException(nameof(Options.MaxDegreeOfParallelism), Options.MaxDegreeOfParallelism, $"{Component}: the number of threads cannot be negative (0 means all cores).");
        ArgumentNullException.ThrowIfNull(Options.Propensity, nameof(Options.Propensity));
        data.Validate(Component);
        var t = data.Treatment;
        if (t.IsContinuous)
        {
            throw new DataValidationException(Component, t.ColumnName, null,
                "the treatment is continuous; average effects here compare discrete arms.", "Bin the dose into arms, or use LinearDml for the marginal effect of a dose.");
        }
        Options.Propensity.Validate(t, Component);
        var known = !data.Propensity.IsEmpty || Options.Propensity.Constant is not null || Options.Propensity.ArmShares is not null;
        var learned = Options.Method is AverageEffectMethod.Aipw or AverageEffectMethod.RegressionAdjustment
            || (Options.Method == AverageEffectMethod.Ipw && !known);
        if (learned)
            data.RequireRowsPerArm(Component, 2 * Options.Folds, $"{Options.Folds}-fold cross-fitting");
        else
            data.RequireRowsPerArm(Component, 2, "a mean with a standard error");
    }
}
