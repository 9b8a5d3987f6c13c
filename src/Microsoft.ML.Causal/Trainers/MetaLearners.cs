using System.Collections.Immutable;
using System.Globalization;
using Microsoft.ML.Causal.Learners;

namespace Microsoft.ML.Causal.Trainers;

/// <summary>Options of the S- and T-learners (no second stage).</summary>
public sealed record MetaLearnerOptions : CateOptions
{
    /// <summary>
    /// How the S-learner shows the arm to its outcome model (default <see cref="SLearnerArmEncoding.Indicators"/>); the
    /// T-learner ignores it. See <see cref="SLearnerArmEncoding"/>.
    /// </summary>
    public SLearnerArmEncoding ArmEncoding { get; init; } = SLearnerArmEncoding.Indicators;
}

/// <summary>How the S-learner's single outcome model μ̂(x, arm) sees the arm.</summary>
public enum SLearnerArmEncoding
{
    /// <summary>One 0/1 indicator per non-control arm (all 0 for control): the arms are unordered categories.</summary>
    Indicators,

    /// <summary>
    /// One numeric feature, the arm's name read as an invariant number (e.g. levels 0, 1, …, 10 or depths 0, 0.05, …, 0.5):
    /// for discrete arms that are doses on an ordered scale. The model then pools neighbouring arms (a tree splits the
    /// dose at a threshold, so every arm borrows strength from those next to it) instead of learning each arm apart.
    /// Effects are still predicted only at the arms seen in training. For a tree learner only the order of the values
    /// matters; for a linear one their spacing does too. Every arm name must be a finite number.
    /// </summary>
    NumericValue,
}

/// <summary>Options of the X-, R- and DR-learners: the shared ones plus the learner of the second (final) stage.</summary>
public sealed record FinalStageOptions : CateOptions
{
    /// <summary>Learner of the second stage (τ̂ on imputed effects, residuals or pseudo-outcomes); default gradient boosting.</summary>
    public IRegressionLearner? FinalLearner { get; init; }
}

/// <summary>
/// S-learner: one outcome model on the features plus the arm, τ̂ₐ(x) = μ̂(x, a) − μ̂(x, control). Simple
/// and stable; a tree learner may ignore the arm and shrink effects towards 0. The arm enters as indicators, or as one
/// numeric dose for ordered arms (<see cref="MetaLearnerOptions.ArmEncoding"/>). Intervals by bootstrap.
/// </summary>
public sealed class SLearner(MetaLearnerOptions? options = null) : CateLearner<MetaLearnerOptions>(options ?? new MetaLearnerOptions())
{
    /// <inheritdoc />
    public override string Method => "s";

    private protected override CateModel FitOnce(NuisanceCache cache, string component)
    {
        var data = cache.Data;
        var t = data.Treatment;
        var p = data.Features.ColumnCount;
        var n = data.Features.RowCount;
        var doses = Options.ArmEncoding == SLearnerArmEncoding.NumericValue ? ArmValues(t, component) : null;
        var width = p + (doses is null ? t.ArmNames.Length - 1 : 1);
        var values = new double[n * width];
        var rows = data.RowIndices();
        foreach (var r in rows)
            SLearnerModel.Augment(data.Features.Row(r), t.Arms[r], t.Control, doses, values.AsSpan(r * width, width));
        var names = doses is null
            ? data.Features.ColumnNames.Concat(t.EffectNames.Select(a => $"{t.ColumnName}={a}"))
            : data.Features.ColumnNames.Append(t.ColumnName);
        var augmented = new FeatureMatrix(values, n, width, names);
        var training = new TrainingSet(augmented, data.Outcome) { Rows = rows, Weights = data.Weights, LabelColumnName = data.OutcomeColumnName };
        var outcome = cache.OutcomeLearner.Fit(training, cache.Context);
        return new SLearnerModel(CateModelHeader.For(Method, data), outcome, t.ArmNames.Length, t.Control, doses);
    }

    /// <summary>Every arm's name read as an invariant number (<see cref="SLearnerArmEncoding.NumericValue"/>).</summary>
    /// <exception cref="DataValidationException">The treatment is continuous, or an arm's name is not a finite number (the message names it).</exception>
    internal static double[] ArmValues(TreatmentAssignment t, string component)
    {
        if (t.IsContinuous)
        {
            throw new DataValidationException(component, t.ColumnName, null, "the numeric arm encoding is for discrete arms; the treatment is continuous.",
                "Use TreatmentKind.MultiArm (or Binary) for a few ordered doses, or a continuous-treatment estimator.");
        }
        var values = new double[t.ArmNames.Length];
        for (var a = 0; a < values.Length; a++)
        {
            if (!double.TryParse(t.ArmNames[a], NumberStyles.Float, CultureInfo.InvariantCulture, out values[a]) || !double.IsFinite(values[a]))
            {
                throw new DataValidationException(component, t.ColumnName, null, $"arm '{t.ArmNames[a]}' is not a finite number, so it has no place on a dose scale.",
                    "Name the arms by their dose (e.g. 0, 5, 10), or use ArmEncoding = Indicators.");
            }
        }
        return values;
    }
}

/// <summary>T-learner: one outcome model per arm, τ̂ₐ(x) = μ̂ₐ(x) − μ̂_control(x). Intervals by bootstrap.</summary>
public sealed class TLearner(MetaLearnerOptions? options = null) : CateLearner<MetaLearnerOptions>(options ?? new MetaLearnerOptions())
{
    /// <inheritdoc />
    public override string Method => "t";

    private protected override CateModel FitOnce(NuisanceCache cache, string component)
    {
        var data = cache.Data;
        var outcomes = FitArmOutcomes(cache);
        return new TLearnerModel(CateModelHeader.For(Method, data), outcomes, data.Treatment.Control);
    }

    /// <summary>μ̂ₐ for every arm, each on all of that arm's rows.</summary>
    internal static ImmutableArray<IRegressionModel> FitArmOutcomes(NuisanceCache cache)
    {
        var data = cache.Data;
        var t = data.Treatment;
        var labels = data.Outcome.ToArray();
        var arms = t.Arms.ToArray();
        return [.. Enumerable.Range(0, t.ArmNames.Length).Select(a =>
            cache.OutcomeLearner.Fit(CrossFitting.TrainingOn(data, cache.Folds, -1, labels, r => arms[r] == a, $"outcome model of arm '{t.ArmNames[a]}'"),
                cache.Context with { Seed = CausalContext.DeriveSeed(cache.Context.Seed, 500 + a) }))];
    }
}

/// <summary>
/// X-learner (Künzel et al. 2019): stage 1 is the T-learner; arm a's rows impute Dᵢ = Yᵢ − μ̂_c(xᵢ), the controls
/// Dᵢ = μ̂ₐ(xᵢ) − Yᵢ; the final learner fits τ̂ₐ¹ and τ̂ₐ⁰ on them, combined as g·τ̂ₐ⁰ + (1 − g)·τ̂ₐ¹ with
/// g(x) = P(arm a | x, arm a or control) as in EconML and CausalML. Intervals by bootstrap.
/// </summary>
public sealed class XLearner(FinalStageOptions? options = null) : CateLearner<FinalStageOptions>(options ?? new FinalStageOptions())
{
    /// <inheritdoc />
    public override string Method => "x";

    private protected override CateModel FitOnce(NuisanceCache cache, string component)
    {
        var data = cache.Data;
        var t = data.Treatment;
        var y = data.Outcome.Span;
        var arms = t.Arms.ToArray();
        var mu = TLearner.FitArmOutcomes(cache);
        var final = Options.FinalLearner ?? CateDefaults.FinalLearner();
        var effects = ImmutableArray.CreateBuilder<XEffect>(t.EffectCount);
        var rows = data.RowIndices();
        for (var k = 0; k < t.EffectCount; k++)
        {
            var a = t.ArmOfEffect(k);
            var imputed = new double[data.Features.RowCount];
            foreach (var r in rows)
            {
                if (arms[r] == a)
                    imputed[r] = y[r] - mu[t.Control].Predict(data.Features.Row(r));
                else if (arms[r] == t.Control)
                    imputed[r] = mu[a].Predict(data.Features.Row(r)) - y[r];
            }
            var seed = CausalContext.DeriveSeed(cache.Context.Seed, 600 + k);
            var onTreated = final.Fit(CrossFitting.TrainingOn(data, cache.Folds, -1, imputed, r => arms[r] == a, "X-learner effect model on the treated"), cache.Context with { Seed = seed });
            var onControls = final.Fit(CrossFitting.TrainingOn(data, cache.Folds, -1, imputed, r => arms[r] == t.Control, "X-learner effect model on the controls"), cache.Context with { Seed = seed + 1 });
            effects.Add(PropensityOf(cache, a) switch
            {
                IProbabilityModel m => new XEffect(onTreated, onControls, m, 0),
                double known => new XEffect(onTreated, onControls, null, known),
                _ => throw new InvalidOperationException(),
            });
        }
        return new XLearnerModel(CateModelHeader.For(Method, data), effects.MoveToImmutable(), Options.Propensity.ClipLower, Options.Propensity.ClipUpper);
    }

    /// <summary>g for arm a: a constant when the options fix it, else a classifier of arm a against control on those rows (also when a propensity column is given, which cannot be read at prediction time).</summary>
    private object PropensityOf(NuisanceCache cache, int arm)
    {
        var t = cache.Data.Treatment;
        if (Options.Propensity.Constant is { } c)
            return arm == t.Control ? 1 - c : c;
        if (Options.Propensity.ArmShares is { } shares)
            return shares[arm] / (shares[arm] + shares[t.Control]);
        var codes = t.Arms.ToArray();
        var labels = codes.Select(w => w == arm ? 1.0 : 0.0).ToArray();
        var training = CrossFitting.TrainingOn(cache.Data, cache.Folds, -1, labels, r => codes[r] == arm || codes[r] == t.Control, $"propensity model of arm '{t.ArmNames[arm]}'");
        return cache.PropensityLearner.Fit(training, cache.Context with { Seed = CausalContext.DeriveSeed(cache.Context.Seed, 700 + arm) });
    }
}
