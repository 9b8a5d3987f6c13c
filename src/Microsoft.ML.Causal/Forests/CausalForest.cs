using System.Collections.Immutable;
using Microsoft.ML.Causal.Forests.Prediction;
using Microsoft.ML.Causal.Forests.Relabeling;
using Microsoft.ML.Causal.Forests.Sampling;
using Microsoft.ML.Causal.Forests.Splitting;
using Microsoft.ML.Causal.Inference;
using Microsoft.ML.Causal.Learners;
using Microsoft.ML.Causal.Trainers;

namespace Microsoft.ML.Causal.Forests;

/// <summary>
/// grf's causal forest (Athey, Tibshirani and Wager 2019) for a binary or continuous treatment: Y and W are
/// centered by out-of-bag m̂(x) and ê(x) from regression forests (or given, or cross-fitted with given
/// learners); honest trees split on the causal pseudo-outcomes with the stabilized rule; τ̂(x) solves the
/// forest-weighted estimating equation from the leaves' sufficient statistics; its variance comes from the
/// bootstrap of little bags with the objective-Bayes debiasing, which gives the analytic intervals. For a
/// continuous W, τ̂(x) estimates Cov(Y, W | x)/Var(W | x). The average effects (binary W) are AIPW on the
/// out-of-bag τ̂, m̂ and ê, as grf's <c>average_treatment_effect</c>.
/// </summary>
public sealed class CausalForest(CausalForestOptions? options = null) : CateLearner<CausalForestOptions>(options ?? new CausalForestOptions())
{
    /// <inheritdoc />
    public override string Method => "causal-forest";

    /// <inheritdoc />
    public override bool SupportsContinuous => true;

    private protected override bool HasAnalyticIntervals => Options.Forest.CiGroupSize >= 2;

    private protected override bool HasVariance => Options.Forest.CiGroupSize >= 2;

    private protected override bool CrossFits => Options.OutcomeLearner is not null || Options.PropensityLearner is not null;

    private protected override CateModel FitOnce(NuisanceCache cache, string component)
    {
        var data = cache.Data;
        var context = cache.Context;
        var options = Options.Forest;
        options.Validate(component);
        var t = data.Treatment;
        if (!t.IsContinuous && t.ArmNames.Length > 2)
        {
            throw new DataValidationException(component, t.ColumnName, null,
                $"the treatment has {t.ArmNames.Length} arms; the causal forest takes a binary or a continuous treatment.",
                "Use the MultiArmCausalForest (ctx.Cate.Trainers.MultiArmCausalForest), which estimates one effect per non-control arm.");
        }
        var n = data.Features.RowCount;
        var (rows, y, weights, seed, sampler, nuisance, yHat) = Prepare(cache, options, Options.NuisanceTrees, Options.OutcomeEstimates, component);
        var w = new double[n];
        for (var r = 0; r < n; r++)
            w[r] = t.IsContinuous ? t.Doses[r] : t.Arms[r] != t.Control ? 1 : 0;
        var wHat = Given(Options.TreatmentEstimates, rows, n, component, nameof(CausalForestOptions.TreatmentEstimates))
            ?? KnownPropensity(data, n)
            ?? (Options.PropensityLearner is not null && !t.IsContinuous ? cache.Propensities[t.ArmOfEffect(0)]
                : RegressionForest.Train(data.Features, w, weights, rows, data.Clusters, nuisance, CausalContext.DeriveSeed(seed, -2), context, component, t.ColumnName).OutOfBag);

        var yc = new double[n];
        var wc = new double[n];
        foreach (var r in rows)
        {
            yc[r] = y[r] - yHat[r];
            wc[r] = w[r] - wHat[r];
        }
        var strategy = new CausalPredictionStrategy(Slope(rows, yc, wc, weights));
        var forestData = new ForestData(data.Features.GetBinned(options.MaxBins), yc, wc, 1, weights);
        var (forest, drawn) = Grow(forestData, sampler, options, Options.StabilizeSplits, () => CausalRelabeling.Instance, strategy, seed, context, component);

        var header = CateModelHeader.For(Method, data) with { Overlap = t.IsContinuous ? null : MultiArmCausalForest.Overlap(wHat, 1, rows, Options.Propensity,
            !data.Propensity.IsEmpty || Options.Propensity.Constant is not null || !Options.TreatmentEstimates.IsEmpty, context, component) };
        var model = new CausalForestModel(header, forest, strategy, n, yHat, wHat);
        var tau = new double[n];
        var variance = new double[n];
        var monteCarlo = new double[n];
        OutOfBag.ForEachRow(forest, forestData.Binned, rows, drawn, context, (r, leaves) => (tau[r], variance[r], monteCarlo[r]) = model.Estimate(leaves, true, true));
        model.SetOutOfBag(tau, variance);
        model.SetOutOfBagMonteCarloVariance(monteCarlo);
        return model;
    }

    /// <summary>AIPW averages (ATE, ATT) from the out-of-bag τ̂ with μ̂₀ = m̂ − êτ̂ and μ̂₁ = m̂ + (1 − ê)τ̂ (ê clipped as the propensity options say); none for a continuous treatment.</summary>
    private protected override ImmutableArray<AverageEffect> AverageEffects(NuisanceCache cache, CateModel model)
    {
        var data = cache.Data;
        if (data.Treatment.IsContinuous)
            return [];
        var (mu1, mu0, e1, e0) = ((CausalForestModel)model).ArmNuisances(data, Options.Propensity.ClipLower, Options.Propensity.ClipUpper);
        var arm = data.Treatment.ArmOfEffect(0);
        return [AipwEstimator.Estimate(data, arm, mu1, mu0, e1, e0, Estimand.Ate), AipwEstimator.Estimate(data, arm, mu1, mu0, e1, e0, Estimand.Att)];
    }

    /// <summary>
    /// The set-up both causal forests share: the rows fitted on (ascending), outcome, weights, seed, the tree sampler
    /// (checked to have enough units), the nuisance forests' options (max(50, trees/4) trees unless
    /// <paramref name="nuisanceTrees"/>, groups of one) and Ŷ — given, cross-fitted with the options' outcome
    /// learner, or out of bag from a regression forest seeded with <c>DeriveSeed(seed, −1)</c>.
    /// </summary>
    internal static (int[] Rows, double[] Y, double[]? Weights, int Seed, TreeSampler Sampler, ForestOptions Nuisance, double[] YHat) Prepare(
        NuisanceCache cache, ForestOptions options, int? nuisanceTrees, ReadOnlyMemory<double> outcomeEstimates, string component)
    {
        var data = cache.Data;
        var n = data.Features.RowCount;
        var rows = data.RowIndices();
        Array.Sort(rows);
        var y = data.Outcome.ToArray();
        var weights = data.Weights.IsEmpty ? null : data.Weights.ToArray();
        var seed = options.Seed ?? cache.Context.Seed;
        var sampler = TreeSampler.Create(rows, data.Clusters.Span, options, n);
        RegressionForest.RequireUnits(sampler.UnitCount, options, !data.Clusters.IsEmpty, component, data.OutcomeColumnName);
        var nuisance = options with { NumberOfTrees = nuisanceTrees ?? Math.Max(50, options.NumberOfTrees / 4), CiGroupSize = 1, KeepLeafSamples = false };
        var yHat = Given(outcomeEstimates, rows, n, component, nameof(CausalForestOptions.OutcomeEstimates))
            ?? (cache.HasOutcomeLearner ? cache.Outcome
                : RegressionForest.Train(data.Features, y, weights, rows, data.Clusters, nuisance, CausalContext.DeriveSeed(seed, -1), cache.Context, component, data.OutcomeColumnName).OutOfBag);
        return (rows, y, weights, seed, sampler, nuisance, yHat);
    }

    /// <summary>
    /// Grows a causal forest on centered data with <paramref name="relabeling"/>: the stabilized causal split rule, or
    /// plain CART on the pseudo-outcomes, over the data's treatment columns; returns the trees and their drawn rows.
    /// </summary>
    internal static (HonestForest Forest, ulong[][] Drawn) Grow(ForestData data, TreeSampler sampler, ForestOptions options, bool stabilize,
        Func<IRelabelingStrategy> relabeling, IPredictionStrategy strategy, int seed, FitContext context, string component)
    {
        var k = data.TreatmentCount;
        var (forest, drawn) = ForestTrainer.Train(data, sampler, options,
            () => (relabeling(), stabilize
                ? new CausalSplittingRule(options.MinNodeSize, options.Alpha, options.ImbalancePenalty, k)
                : new RegressionSplittingRule(options.Alpha, options.ImbalancePenalty, k)),
            strategy, seed, context, component, keepDrawn: true);
        return (forest, drawn!);
    }

    internal static double[]? Given(ReadOnlyMemory<double> values, int[] rows, int n, string component, string name)
    {
        if (values.IsEmpty)
            return null;
        if (values.Length != n)
            throw new ArgumentException($"{component}: {name} has {values.Length} values for {n} rows.", name);
        var span = values.Span;
        foreach (var r in rows)
        {
            if (!double.IsFinite(span[r]))
                throw DataValidationException.NotFinite(component, name, r, span[r], "Give a finite estimate for every row fitted on.");
        }
        return values.ToArray();
    }

    private double[]? KnownPropensity(CateData data, int n)
    {
        if (data.Treatment.IsContinuous)
            return null;
        if (!data.Propensity.IsEmpty)
            return data.Propensity.ToArray();
        return Options.Propensity.Constant is { } c ? Enumerable.Repeat(c, n).ToArray() : null;
    }

    /// <summary>The effect on all fitted rows: the weighted slope of centered Y on centered W (the fallback where a neighbourhood has no treatment variation).</summary>
    private static double Slope(int[] rows, double[] y, double[] w, double[]? weights)
    {
        double sw = 0, sy = 0, st = 0;
        foreach (var r in rows)
        {
            var g = weights is null ? 1 : weights[r];
            sw += g;
            sy += g * y[r];
            st += g * w[r];
        }
        double yBar = sw > 0 ? sy / sw : 0, tBar = sw > 0 ? st / sw : 0, stt = 0, sty = 0;
        foreach (var r in rows)
        {
            var g = weights is null ? 1 : weights[r];
            stt += g * (w[r] - tBar) * (w[r] - tBar);
            sty += g * (w[r] - tBar) * (y[r] - yBar);
        }
        return stt > 0 ? sty / stt : 0;
    }
}
