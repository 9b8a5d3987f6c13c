using System.Collections.Immutable;
using Microsoft.ML.Causal.Inference;
using Microsoft.ML.Causal.Trainers;

namespace Microsoft.ML.Causal.Forests;

/// <summary>
/// Analyses of a fitted causal forest on the data it was fitted on (grf's analysis tools): the calibration test,
/// the debiased out-of-bag error, the best linear projection of the doubly robust scores on chosen covariates, and variable importance. The
/// scores and residuals use the forest's own out-of-bag τ̂, m̂ and ê (ê clipped as in the fit), so they match the
/// model's AIPW average effects.
/// </summary>
public static class CausalForestAnalysis
{
    private const string Component = nameof(CausalForestAnalysis);

    /// <summary>grf's <c>test_calibration</c> (see <see cref="CalibrationTest"/>), on the rows of <paramref name="data"/> with their weights.</summary>
    /// <param name="model">A causal forest (binary or continuous treatment).</param>
    /// <param name="data">The data the forest was fitted on (same features, outcome, treatment, weights, clusters and rows).</param>
    /// <exception cref="ArgumentException">The data do not match the model, or the regressors are collinear (e.g. τ̂ constant).</exception>
    /// <exception cref="InvalidOperationException">The model was compacted (<see cref="CausalForestModelBase.Compact"/>).</exception>
    public static CalibrationTest TestCalibration(CausalForestModel model, CateData data)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        Check(model, model.OutOfBagCate.Length, data);
        var rows = data.RowIndices();
        var t = data.Treatment;
        var tau = model.OutOfBagCate.Span;
        var m = model.OutcomeEstimates.Span;
        var e = model.TreatmentEstimates.Span;
        var y = data.Outcome.Span;
        double total = 0, weighted = 0;
        foreach (var r in rows)
        {
            total += data.WeightOf(r);
            weighted += data.WeightOf(r) * tau[r];
        }
        var mean = total > 0 ? weighted / total : 0;
        var n = rows.Length;
        var x = new double[2 * n];
        var target = new double[n];
        var weights = new double[n];
        for (var i = 0; i < n; i++)
        {
            var r = rows[i];
            var w = t.IsContinuous ? t.Doses[r] : t.Arms[r] != t.Control ? 1 : 0;
            var centered = w - e[r];
            target[i] = y[r] - m[r];
            x[2 * i] = centered * mean;
            x[2 * i + 1] = centered * (tau[r] - mean);
            weights[i] = data.WeightOf(r);
        }
        var (beta, v) = RobustLeastSquares.Fit(x, 2, target, weights, data.ClustersOf(rows), $"{Component}.TestCalibration");
        var degrees = weights.Count(g => g > 0) - 2;
        return new CalibrationTest(
            RobustLeastSquares.Coefficient("MeanForestPrediction", beta[0], v[0, 0], degrees, oneSided: true),
            RobustLeastSquares.Coefficient("DifferentialForestPrediction", beta[1], v[1, 1], degrees, oneSided: true));
    }

    /// <summary>
    /// grf's <c>debiased.error</c> of the out-of-bag fit (see <see cref="OutOfBagError"/>), as weighted means over the
    /// rows of <paramref name="data"/>: the raw out-of-bag R-loss ((Y − m̂) − τ̂(W − ê))², the Monte-Carlo excess
    /// (W − ê)²·Var_MC(τ̂) with <see cref="CausalForestModel.OutOfBagMonteCarloVariance"/>, and their difference, the
    /// R-loss a forest of infinitely many trees would have.
    /// </summary>
    /// <param name="model">A causal forest (binary or continuous treatment).</param>
    /// <param name="data">The data the forest was fitted on (same features, outcome, treatment, weights and rows).</param>
    /// <exception cref="ArgumentException">The data do not match the model, or the rows' weights sum to 0.</exception>
    /// <exception cref="InvalidOperationException">The model was compacted, or saved by a version without the Monte-Carlo variances.</exception>
    public static OutOfBagError DebiasedError(CausalForestModel model, CateData data)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        Check(model, model.OutOfBagCate.Length, data);
        if (model.OutOfBagMonteCarloVariance.Length != model.TrainingRowCount)
            throw new InvalidOperationException($"{Component}: the model has no out-of-bag Monte-Carlo variances (it was saved by an earlier version of the library), which the debiased error needs. Refit the forest.");
        var t = data.Treatment;
        var tau = model.OutOfBagCate.Span;
        var m = model.OutcomeEstimates.Span;
        var e = model.TreatmentEstimates.Span;
        var monteCarlo = model.OutOfBagMonteCarloVariance.Span;
        var y = data.Outcome.Span;
        double total = 0, raw = 0, excess = 0;
        foreach (var r in data.RowIndices())
        {
            var weight = data.WeightOf(r);
            var centered = (t.IsContinuous ? t.Doses[r] : t.Arms[r] != t.Control ? 1 : 0) - e[r];
            var residual = y[r] - m[r] - tau[r] * centered;
            total += weight;
            raw += weight * residual * residual;
            excess += weight * centered * centered * monteCarlo[r];
        }
        if (!(total > 0))
            throw new ArgumentException($"{Component}: the rows' weights sum to {total}; the debiased error needs a positive total weight.", nameof(data));
        return new OutOfBagError(raw / total, excess / total);
    }

    /// <summary>
    /// grf's <c>best_linear_projection</c> (see <see cref="LinearProjection"/>) of a binary-treatment causal forest's
    /// doubly robust scores Γᵢ = τ̂ᵢ + (Wᵢ − êᵢ)/(êᵢ(1 − êᵢ))·(Yᵢ − m̂ᵢ − τ̂ᵢ(Wᵢ − êᵢ)) on the features numbered
    /// <paramref name="covariates"/> (null or empty: none, so the intercept is the ATE).
    /// </summary>
    /// <exception cref="ArgumentException">The data do not match the model, the treatment is continuous, a covariate index is out of range, or the covariates are collinear.</exception>
    public static LinearProjection BestLinearProjection(CausalForestModel model, CateData data, IReadOnlyList<int>? covariates = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        Check(model, model.OutOfBagCate.Length, data);
        var t = data.Treatment;
        if (t.IsContinuous)
            throw new ArgumentException($"{Component}: the best linear projection needs doubly robust scores, which need a binary treatment; '{t.ColumnName}' is continuous.", nameof(data));
        var (clipLower, clipUpper) = ClipBounds(model);
        var (mu1, mu0, e1, e0) = model.ArmNuisances(data, clipLower, clipUpper);
        return Project(data, t.ArmOfEffect(0), mu1, mu0, e1, e0, covariates);
    }

    /// <summary>The best linear projection of every arm's doubly robust scores (arm k against control, from the multi-arm forest's out-of-bag fit), in effect order.</summary>
    /// <exception cref="ArgumentException">The data do not match the model, a covariate index is out of range, or the covariates are collinear.</exception>
    public static ImmutableArray<LinearProjection> BestLinearProjection(MultiArmCausalForestModel model, CateData data, IReadOnlyList<int>? covariates = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        Check(model, model.TrainingRowCount, data);
        var (clipLower, clipUpper) = ClipBounds(model);
        var (mu, e) = model.ArmNuisances(data, clipLower, clipUpper);
        return [.. Enumerable.Range(0, model.EffectCount).Select(k => Project(data, data.Treatment.ArmOfEffect(k), mu[1 + k], mu[0], e[1 + k], e[0], covariates))];
    }

    /// <summary>
    /// grf's <c>variable_importance</c>: for depths d = 1 … <paramref name="maxDepth"/>, the share of the forest's
    /// splits at depth d made on each feature, averaged with weights d^(−<paramref name="decayExponent"/>)
    /// (normalized to sum to 1). One value per feature, summing to 1 when the forest has any split.
    /// </summary>
    /// <param name="model">A <see cref="CausalForestModel"/> or <see cref="MultiArmCausalForestModel"/>.</param>
    /// <param name="maxDepth">Deepest level counted (the root's split is depth 1); default 4.</param>
    /// <param name="decayExponent">How fast deeper splits count less; default 2.</param>
    public static double[] VariableImportance(CateModel model, int maxDepth = 4, double decayExponent = 2)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDepth, 1);
        if (!(decayExponent >= 0) || !double.IsFinite(decayExponent))
            throw new ArgumentOutOfRangeException(nameof(decayExponent), decayExponent, "The decay exponent must be finite and non-negative.");
        var forest = model switch
        {
            CausalForestModel c => c.Forest,
            MultiArmCausalForestModel m => m.Forest,
            _ => throw new ArgumentException($"{Component}: variable importance needs a causal forest; got a {model.Method} model.", nameof(model)),
        };
        var counts = forest.SplitCounts(maxDepth);
        var p = forest.FeatureCount;
        var importance = new double[p];
        double norm = 0;
        for (var d = 1; d <= maxDepth; d++)
            norm += Math.Pow(d, -decayExponent);
        for (var d = 1; d <= maxDepth; d++)
        {
            double splits = 0;
            for (var j = 0; j < p; j++)
                splits += counts[(d - 1) * p + j];
            if (splits == 0)
                continue;
            var weight = Math.Pow(d, -decayExponent) / norm;
            for (var j = 0; j < p; j++)
                importance[j] += weight * counts[(d - 1) * p + j] / splits;
        }
        return importance;
    }

    private static LinearProjection Project(CateData data, int arm, double[] muArm, double[] muControl, double[] eArm, double[] eControl, IReadOnlyList<int>? covariates)
    {
        var columns = covariates ?? [];
        var features = data.Features;
        foreach (var j in columns)
        {
            if ((uint)j >= (uint)features.ColumnCount)
                throw new ArgumentOutOfRangeException(nameof(covariates), j, $"{Component}: covariate {j} is not a feature; the model has {features.ColumnCount} (0 … {features.ColumnCount - 1}).");
        }
        var rows = data.RowIndices();
        var n = rows.Length;
        var p = 1 + columns.Count;
        var x = new double[n * p];
        var scores = new double[n];
        var weights = new double[n];
        var y = data.Outcome.Span;
        var w = data.Treatment.Arms;
        var control = data.Treatment.Control;
        for (var i = 0; i < n; i++)
        {
            var r = rows[i];
            scores[i] = AipwScore.Of(y[r], w[r], arm, control, muArm[r], muControl[r], eArm[r], eControl[r]);
            weights[i] = data.WeightOf(r);
            x[i * p] = 1;
            for (var c = 0; c < columns.Count; c++)
            {
                var value = features[r, columns[c]];
                if (!double.IsFinite(value))
                    throw DataValidationException.NotFinite(Component, features.ColumnNames[columns[c]], r, value, "The projection needs finite covariates; choose others or impute the value.");
                x[i * p + 1 + c] = value;
            }
        }
        var (beta, v) = RobustLeastSquares.Fit(x, p, scores, weights, data.ClustersOf(rows), $"{Component}.BestLinearProjection");
        var degrees = weights.Count(g => g > 0) - p;
        var coefficients = ImmutableArray.CreateBuilder<ProjectionCoefficient>(p);
        for (var a = 0; a < p; a++)
        {
            var name = a == 0 ? "(Intercept)" : features.ColumnNames[columns[a - 1]];
            coefficients.Add(RobustLeastSquares.Coefficient(name, beta[a], v[a, a], degrees, oneSided: false));
        }
        return new LinearProjection(data.Treatment.ArmNames[arm], coefficients.MoveToImmutable());
    }

    private static (double Lower, double Upper) ClipBounds(CateModel model) =>
        model.Overlap is { } o ? (o.ClipLower, o.ClipUpper) : (0.01, 0.99);

    private static void Check(CateModel model, int trainingRows, CateData data)
    {
        if (trainingRows == 0)
            throw new InvalidOperationException($"{Component}: the model was compacted, which drops the out-of-bag estimates the analyses need. Analyse the model returned by Fit, before Compact().");
        if (data.Features.RowCount != trainingRows || data.Features.ColumnCount != model.FeatureCount)
        {
            throw new ArgumentException(
                $"{Component}: the data have {data.Features.RowCount} rows of {data.Features.ColumnCount} features; the forest was fitted on {trainingRows} rows of {model.FeatureCount}. Pass the data the forest was fitted on.", nameof(data));
        }
        if (data.Treatment.IsContinuous != (model.ControlArm is null) || (!data.Treatment.IsContinuous && data.Treatment.EffectCount != model.EffectCount))
            throw new ArgumentException($"{Component}: the data's treatment '{data.Treatment.ColumnName}' does not have the model's effects ({string.Join(", ", model.EffectNames)}).", nameof(data));
    }
}
