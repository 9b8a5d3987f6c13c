using System.Collections.Immutable;
using Microsoft.ML.Causal.Inference;
using Microsoft.ML.Causal.Learners;
using Microsoft.ML.Causal.Numerics;

namespace Microsoft.ML.Causal.Trainers;

/// <summary>A CATE estimator on plain arrays (layer 3): fits an immutable <see cref="CateModel"/>.</summary>
public interface ICateLearner
{
    /// <summary>The method's short name (as the CLI's <c>--method</c>, e.g. "dr").</summary>
    string Method { get; }

    /// <summary>Whether fitted models have intervals (analytic, or bootstrap replicates are fitted).</summary>
    bool ProducesIntervals { get; }

    /// <summary>Whether the method accepts a continuous treatment (a dose).</summary>
    bool SupportsContinuous { get; }

    /// <summary>Whether fitted models estimate the variance of τ̂(x) (<see cref="CateModel.HasVariance"/>; a pipeline then adds <c>CateVariance</c>).</summary>
    bool ProducesVariance => false;

    /// <summary>Fits on <paramref name="data"/>; never mutates the learner or the data.</summary>
    CateModel Fit(CateData data, FitContext? context = null);
}

/// <summary>
/// The fit every CATE estimator shares: validate, fit once (the subclass's method), add the AIPW average
/// effects from cross-fitted nuisances, and — for methods without analytic intervals — fit the bootstrap
/// replicates, in parallel, each from its own seed (so the model does not depend on the thread count).
/// </summary>
/// <typeparam name="TOptions">The estimator's options.</typeparam>
public abstract class CateLearner<TOptions> : ICateLearner
    where TOptions : CateOptions
{
    private protected CateLearner(TOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
    }

    /// <summary>The options.</summary>
    public TOptions Options { get; }

    /// <inheritdoc />
    public abstract string Method { get; }

    /// <inheritdoc />
    public virtual bool SupportsContinuous => false;

    /// <inheritdoc />
    public bool ProducesIntervals => HasAnalyticIntervals || Options.BootstrapReplicates > 0;

    /// <inheritdoc />
    public bool ProducesVariance => HasVariance;

    /// <summary>Whether fitted models estimate the variance of τ̂(x) (see <see cref="CateModel.HasVariance"/>).</summary>
    private protected virtual bool HasVariance => false;

    /// <summary>Whether the method's final stage gives analytic intervals (no bootstrap needed).</summary>
    private protected virtual bool HasAnalyticIntervals => false;

    /// <summary>Whether the fit cross-fits nuisances over <see cref="CateOptions.Folds"/> folds (then every arm needs 2·folds rows).</summary>
    private protected virtual bool CrossFits => true;

    /// <inheritdoc />
    public CateModel Fit(CateData data, FitContext? context = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        var component = $"{Method} learner";
        context ??= FitContext.Default;
        context = context with { Seed = Options.Seed ?? context.Seed };
        Validate(data, component);

        var cache = new NuisanceCache(data, Options, context, component);
        var model = FitOnce(cache, component);
        var averages = AverageEffects(cache, model);
        model.Header = model.Header with { AverageEffects = averages, Overlap = cache.Overlap ?? model.Header.Overlap };
        if (!model.HasAnalyticIntervals && Options.BootstrapReplicates > 0)
            model.Replicates = Bootstrap(data, context, component);
        return model;
    }

    /// <summary>Fits the method once on the cache's data (its nuisances are shared with the average effects).</summary>
    private protected abstract CateModel FitOnce(NuisanceCache cache, string component);

    /// <summary>
    /// Average effects of the training population: for discrete arms, ATE and ATT of every arm by AIPW on the
    /// cross-fitted μ̂ₐ and ê; for a continuous treatment, the mean of τ̂(x) over the rows (methods with a better
    /// average override this).
    /// </summary>
    private protected virtual ImmutableArray<AverageEffect> AverageEffects(NuisanceCache cache, CateModel model)
    {
        var data = cache.Data;
        var t = data.Treatment;
        if (t.IsContinuous)
            return [];
        var mu = cache.ArmOutcomes;
        var e = cache.Propensities;
        var effects = ImmutableArray.CreateBuilder<AverageEffect>();
        for (var k = 0; k < t.EffectCount; k++)
        {
            var a = t.ArmOfEffect(k);
            foreach (var estimand in new[] { Estimand.Ate, Estimand.Att })
                effects.Add(AipwEstimator.Estimate(data, a, mu[a], mu[t.Control], e[a], e[t.Control], estimand));
        }
        return effects.ToImmutable();
    }

    private void Validate(CateData data, string component)
    {
        if (Options.Folds < 2)
            throw new ArgumentOutOfRangeException(nameof(Options.Folds), Options.Folds, $"{component}: cross-fitting needs at least 2 folds.");
        if (Options.BootstrapReplicates < 0)
            throw new ArgumentOutOfRangeException(nameof(Options.BootstrapReplicates), Options.BootstrapReplicates, $"{component}: the number of bootstrap replicates cannot be negative.");
        data.Validate(component);
        if (data.Treatment.IsContinuous && !SupportsContinuous)
        {
            throw new DataValidationException(component, data.Treatment.ColumnName, null,
                "the treatment is continuous; this method needs discrete arms.", "Use LinearDml or SparseLinearDml for a continuous treatment, or bin the dose into arms.");
        }
        if (!data.Treatment.IsContinuous)
        {
            Options.Propensity.Validate(data.Treatment, component);
            if (CrossFits)
                data.RequireRowsPerArm(component, 2 * Options.Folds, $"{Options.Folds}-fold cross-fitting");
        }
    }

    /// <summary>
    /// Replicates on resamples drawn with replacement within each arm (the arm sizes stay fixed); a row drawn
    /// m times enters with m times its weight, which every learner treats as m copies.
    /// </summary>
    private ImmutableArray<CateModel> Bootstrap(CateData data, FitContext context, string component)
    {
        var rows = data.RowIndices();
        var strata = data.Treatment.IsContinuous ? [rows] : rows.GroupBy(r => data.Treatment.Arms[r]).OrderBy(g => g.Key).Select(g => g.ToArray()).ToArray();
        var replicates = new CateModel[Options.BootstrapReplicates];
        var inner = context with { MaxDegreeOfParallelism = 1, Progress = null, Log = null };
        Parallel.For(0, replicates.Length, context.ParallelOptions, b =>
        {
            var seed = CausalContext.DeriveSeed(context.Seed, 10_000 + b);
            var random = new CausalRandom(seed);
            var draws = new double[data.Features.RowCount];
            foreach (var stratum in strata)
            {
                for (var i = 0; i < stratum.Length; i++)
                    draws[stratum[random.NextInt(stratum.Length)]] += 1;
            }
            var kept = rows.Where(r => draws[r] > 0).ToArray();
            var weights = new double[draws.Length];
            foreach (var r in kept)
                weights[r] = draws[r] * data.WeightOf(r);
            var resample = data with { Rows = kept, Weights = weights };
            replicates[b] = FitOnce(new NuisanceCache(resample, Options, inner with { Seed = seed }, component), component);
        });
        context.Log?.Invoke(CausalLogKind.Info, component, $"fitted {replicates.Length} bootstrap replicates for the intervals");
        return [.. replicates];
    }
}
