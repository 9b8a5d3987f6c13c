using System.Collections.Immutable;
using Microsoft.ML.Causal.Forests.Prediction;
using Microsoft.ML.Causal.Forests.Relabeling;
using Microsoft.ML.Causal.Inference;
using Microsoft.ML.Causal.Learners;
using Microsoft.ML.Causal.Trainers;

namespace Microsoft.ML.Causal.Forests;

/// <summary>
/// grf's multi-arm causal forest: one CATE per non-control arm against control, τ(x) = (τ₁(x) … τ_K(x)). Y is
/// centered by an out-of-bag m̂(x) and the one-hot indicators of the K non-control arms by out-of-bag
/// ê_k(x) = P(arm k | x) (one probability forest per arm, arm k against the rest, unless given, known, or
/// cross-fitted with given learners); honest trees split on the vector pseudo-outcomes of the node's moment
/// condition (<see cref="MultiCausalRelabeling"/>) with the stabilized rule applied to every arm; τ̂(x) solves the
/// K-dimensional forest-weighted estimating equations from the leaves' sufficient statistics; each arm's variance
/// comes from the bootstrap of little bags. The average effects are AIPW per arm on the out-of-bag τ̂, m̂ and ê,
/// with μ̂₀ = m̂ − Σ_k ê_kτ̂_k and μ̂_k = μ̂₀ + τ̂_k. With two arms this is the binary <see cref="CausalForest"/>
/// up to the rounding of the final solve.
/// </summary>
public sealed class MultiArmCausalForest(MultiArmCausalForestOptions? options = null) : CateLearner<MultiArmCausalForestOptions>(options ?? new MultiArmCausalForestOptions())
{
    /// <inheritdoc />
    public override string Method => "multi-arm-causal-forest";

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
        var k = t.EffectCount;
        var n = data.Features.RowCount;
        var (rows, y, weights, seed, sampler, nuisance, yHat) = CausalForest.Prepare(cache, options, Options.NuisanceTrees, Options.OutcomeEstimates, component);
        var known = GivenPropensities(rows, n, k, component) ?? KnownPropensities(data, n);
        var wHat = known ?? new double[n * k];
        for (var j = 0; j < k && known is null; j++)
        {
            var arm = t.ArmOfEffect(j);
            double[] e;
            if (Options.PropensityLearner is not null)
                e = cache.Propensities[arm];
            else
            {
                var indicator = new double[n];
                foreach (var r in rows)
                    indicator[r] = t.Arms[r] == arm ? 1 : 0;
                // Probability forest of arm j against the rest; effect 0 takes the binary forest's seed.
                e = RegressionForest.Train(data.Features, indicator, weights, rows, data.Clusters, nuisance, CausalContext.DeriveSeed(seed, -2 - j), context, component, t.ColumnName).OutOfBag;
            }
            foreach (var r in rows)
                wHat[r * k + j] = e[r];
        }

        var yc = new double[n];
        var wc = new double[n * k];
        foreach (var r in rows)
        {
            yc[r] = y[r] - yHat[r];
            for (var j = 0; j < k; j++)
                wc[r * k + j] = (t.Arms[r] == t.ArmOfEffect(j) ? 1 : 0) - wHat[r * k + j];
        }
        var forestData = new ForestData(data.Features.GetBinned(options.MaxBins), yc, wc, k, weights);
        var strategy = new MultiCausalPredictionStrategy(Fallback(forestData, rows, k));
        var (forest, drawn) = CausalForest.Grow(forestData, sampler, options, Options.StabilizeSplits, () => new MultiCausalRelabeling(k), strategy, seed, context, component);

        var header = CateModelHeader.For(Method, data) with { Overlap = Overlap(wHat, k, rows, Options.Propensity, known is not null, context, component) };
        var model = new MultiArmCausalForestModel(header, forest, strategy, n, yHat, wHat);
        var tau = new double[n * k];
        var variance = new double[n * k];
        OutOfBag.ForEachRow(forest, forestData.Binned, rows, drawn, context, (r, leaves) => model.Estimate(leaves, tau.AsSpan(r * k, k), variance.AsSpan(r * k, k)));
        model.SetOutOfBag(tau, variance);
        return model;
    }

    /// <summary>AIPW ATE and ATT of every arm from the out-of-bag τ̂: μ̂₀ = m̂ − Σ_k ê_kτ̂_k, μ̂_k = μ̂₀ + τ̂_k, ê clipped as the propensity options say (control: 1 − Σ_k ê_k, clipped).</summary>
    private protected override ImmutableArray<AverageEffect> AverageEffects(NuisanceCache cache, CateModel model)
    {
        var data = cache.Data;
        var t = data.Treatment;
        var k = t.EffectCount;
        var (mu, p) = ((MultiArmCausalForestModel)model).ArmNuisances(data, Options.Propensity.ClipLower, Options.Propensity.ClipUpper);
        var effects = ImmutableArray.CreateBuilder<AverageEffect>();
        for (var j = 0; j < k; j++)
        {
            foreach (var estimand in new[] { Estimand.Ate, Estimand.Att })
                effects.Add(AipwEstimator.Estimate(data, t.ArmOfEffect(j), mu[1 + j], mu[0], p[1 + j], p[0], estimand));
        }
        return effects.ToImmutable();
    }

    private double[]? GivenPropensities(int[] rows, int n, int k, string component)
    {
        var values = Options.TreatmentEstimates;
        if (values.IsEmpty)
            return null;
        const string name = nameof(MultiArmCausalForestOptions.TreatmentEstimates);
        if (values.Length != n * k)
            throw new ArgumentException($"{component}: {name} has {values.Length} values; it needs {k} per row (one per non-control arm) for {n} rows, {n * k} in all.", name);
        var span = values.Span;
        foreach (var r in rows)
        {
            for (var j = 0; j < k; j++)
            {
                if (!double.IsFinite(span[r * k + j]))
                    throw DataValidationException.NotFinite(component, name, r, span[r * k + j], $"Give a finite P(arm | x) for every non-control arm of every row fitted on (value {j} of row {r} is not).");
            }
        }
        return values.ToArray();
    }

    /// <summary>Known P(arm | x): arm shares, or (two arms) a propensity column or a constant; null when not known.</summary>
    private double[]? KnownPropensities(CateData data, int n)
    {
        var t = data.Treatment;
        var k = t.EffectCount;
        if (Options.Propensity.ArmShares is { } shares)
        {
            var e = new double[n * k];
            for (var r = 0; r < n; r++)
            {
                for (var j = 0; j < k; j++)
                    e[r * k + j] = shares[t.ArmOfEffect(j)];
            }
            return e;
        }
        if (!data.Propensity.IsEmpty)
            return data.Propensity.ToArray();
        return Options.Propensity.Constant is { } c ? Enumerable.Repeat(c, n).ToArray() : null;
    }

    /// <summary>The effects on all fitted rows (the multivariate slope of centered Y on the centered arms), or 0 where the arms do not vary enough; the answer where a neighbourhood cannot identify τ.</summary>
    private static double[] Fallback(ForestData data, int[] rows, int k)
    {
        var probe = new MultiCausalPredictionStrategy(new double[k]);
        Span<double> stats = stackalloc double[probe.StatCount];
        Span<double> factor = stackalloc double[k * k];
        var tau = new double[k];
        probe.LeafStatistics(data, rows, stats);
        probe.Effect(stats, tau, factor);
        return tau;
    }

    /// <summary>
    /// The overlap of the propensities used: the smallest and largest over all arms (control: 1 − Σ_k ê_k) and the
    /// share of rows with some arm's propensity outside the clipping bounds; logs a warning below 0.05. Serves the
    /// binary forest too (k = 1).
    /// </summary>
    internal static OverlapDiagnostics Overlap(double[] e, int k, int[] rows, PropensityOptions propensity, bool known, FitContext context, string component)
    {
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        var clipped = 0;
        var (lower, upper) = (propensity.ClipLower, propensity.ClipUpper);
        foreach (var r in rows)
        {
            var rest = 1.0;
            var any = false;
            for (var j = 0; j <= k; j++)
            {
                var p = j < k ? e[r * k + j] : rest;
                if (j < k)
                    rest -= p;
                min = Math.Min(min, p);
                max = Math.Max(max, p);
                any |= p < lower || p > upper;
            }
            clipped += any ? 1 : 0;
        }
        var overlap = new OverlapDiagnostics(min, max, (double)clipped / rows.Length, lower, upper, known);
        if (min < 0.05)
            context.Log?.Invoke(CausalLogKind.Warning, component, $"{overlap}; estimated propensities below 0.05 or above 0.95 make the AIPW average effects unstable.");
        return overlap;
    }
}
