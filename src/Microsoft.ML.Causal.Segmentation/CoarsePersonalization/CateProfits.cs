using Microsoft.ML.Causal.Data;
using Microsoft.ML.Causal.Learners;
using Microsoft.ML.Causal.Trainers;

namespace Microsoft.ML.Causal.Segmentation.CoarsePersonalization;

/// <summary>
/// Profit matrices from CATE estimates (coarse personalization's step 1 → step 2): one row per person, one column per
/// treatment level — the control level first (profit 0), then the model's non-control arms in its effect order — with
/// πᵢ(t) given by a <see cref="ProfitFormula"/> from τ̂ᵢ(t) of every arm against control.
/// </summary>
/// <remarks>
/// Choose levels on <see cref="CrossFit(ICateLearner, CateData, ProfitFormula?, int, FitContext?, ReadOnlySpan{double})"/>'s out-of-fold profits of the training rows, not on the in-sample predictions of
/// a model fitted on those rows (a flexible learner's in-sample τ̂ is overfitted, and levels chosen on it look better
/// than they are), and evaluate the resulting policy on held-out rows (see <see cref="CoarseEvaluation.PolicyValue"/>).
/// </remarks>
public static class CateProfits
{
    /// <summary>
    /// The profit matrix of <paramref name="rows"/> persons from their effects: <paramref name="effects"/> is row-major
    /// N × E (τ̂ of each of the <paramref name="effectNames"/> against control, as a multi-arm <c>Cate</c> column holds them).
    /// </summary>
    /// <param name="effects">N·E finite effects.</param>
    /// <param name="rows">N (≥ 1).</param>
    /// <param name="effectNames">The E non-control levels, in the order of the effects.</param>
    /// <param name="controlLevel">The name of the control level (profit 0), the matrix's first column.</param>
    /// <param name="formula">The profit formula (default <see cref="ProfitFormula.NetProfitOutcome"/>: π = τ̂).</param>
    /// <param name="baseline">b̂ᵢ, the expected outcome at control of every row; required when the formula discounts the outcome, else ignored.</param>
    /// <exception cref="ArgumentException">A length does not match, a level name repeats, an effect or baseline is not finite (the message names the row and level), or a baseline is missing.</exception>
    public static ProfitMatrix FromEffects(ReadOnlySpan<double> effects, int rows, IReadOnlyList<string> effectNames, string controlLevel,
        ProfitFormula? formula = null, ReadOnlySpan<double> baseline = default)
    {
        const string component = "CateProfits";
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        var levels = LevelsOf(effectNames, controlLevel, component);
        var e = effectNames.Count;
        if (effects.Length != (long)rows * e)
            throw new ArgumentException($"{component}: {rows} rows × {e} effects need {(long)rows * e} values, found {effects.Length}.", nameof(effects));
        formula ??= ProfitFormula.NetProfitOutcome;
        formula.Validate(component);
        var depths = formula.Depths(levels, component);
        CheckBaseline(formula, baseline, rows, component);
        var values = new double[(long)rows * levels.Length];
        for (var i = 0; i < rows; i++)
            FillRow(formula, depths, effects.Slice(i * e, e), formula.DiscountsOutcome ? baseline[i] : 0, values.AsSpan(i * levels.Length, levels.Length), i, levels, component);
        return new ProfitMatrix(values, rows, levels.Length, levels);
    }

    /// <summary>The profit matrix of the rows of <paramref name="features"/> from the model's predictions τ̂(x) (discrete arms).</summary>
    /// <param name="model">A fitted CATE model with discrete arms (binary or several).</param>
    /// <param name="features">The rows to score (the model's features, in its order).</param>
    /// <param name="formula">The profit formula (default: π = τ̂).</param>
    /// <param name="baseline">b̂ᵢ per row of <paramref name="features"/>, when the formula discounts the outcome.</param>
    /// <exception cref="ArgumentException">The model has a continuous treatment, the features do not match it, or see <see cref="FromEffects"/>.</exception>
    public static ProfitMatrix Predict(CateModel model, FeatureMatrix features, ProfitFormula? formula = null, ReadOnlySpan<double> baseline = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(features);
        var control = ControlOf(model);
        if (features.ColumnCount != model.FeatureCount)
            throw new ArgumentException($"CateProfits: the {model.Method} model reads {model.FeatureCount} features; the matrix has {features.ColumnCount}.", nameof(features));
        var e = model.EffectCount;
        var effects = new double[(long)features.RowCount * e];
        Parallel.For(0, features.RowCount, i => model.PredictCate(features.Row(i), effects.AsSpan(i * e, e)));
        return FromEffects(effects, features.RowCount, model.EffectNames, control, formula, baseline);
    }

    /// <summary>
    /// Out-of-fold profits of the training rows: the rows of <paramref name="data"/> are dealt into <paramref name="folds"/> folds
    /// (stratified by arm, seeded); for each fold, <paramref name="learner"/> is fitted on the other folds and predicts that fold's
    /// rows, so no row's profits come from a model that saw its outcome. Row r of the matrix is the r-th of
    /// <see cref="CateData.RowIndices"/>. The learner is fitted <paramref name="folds"/> times: give it
    /// <c>BootstrapReplicates = 0</c> unless its intervals are needed.
    /// </summary>
    /// <param name="learner">The CATE estimator (discrete arms).</param>
    /// <param name="data">The training data.</param>
    /// <param name="formula">The profit formula (default: π = τ̂).</param>
    /// <param name="folds">Folds K (default 5; ≥ 2).</param>
    /// <param name="context">Seed (fold f fits with the seed derived from it and f) and threads of the fits.</param>
    /// <param name="baseline">b̂ per row of <see cref="CateData.Features"/> (e.g. itself cross-fitted), when the formula discounts the outcome.</param>
    /// <exception cref="DataValidationException">The data are invalid for the learner or an arm has too few rows for the folds.</exception>
    public static ProfitMatrix CrossFit(ICateLearner learner, CateData data, ProfitFormula? formula = null, int folds = 5, FitContext? context = null,
        ReadOnlySpan<double> baseline = default)
    {
        ArgumentNullException.ThrowIfNull(learner);
        ArgumentNullException.ThrowIfNull(data);
        const string component = "CateProfits.CrossFit";
        if (folds < 2)
            throw new ArgumentOutOfRangeException(nameof(folds), folds, $"{component}: cross-fitting needs at least 2 folds.");
        context ??= FitContext.Default;
        data.Validate(component);
        if (data.Treatment.IsContinuous)
            throw new DataValidationException(component, data.Treatment.ColumnName, null, "the treatment is continuous; a profit matrix needs discrete levels.", "Bin the dose into arms.");
        data.RequireRowsPerArm(component, 2 * folds, $"{folds}-fold cross-fitting of the profits");
        formula ??= ProfitFormula.NetProfitOutcome;
        formula.Validate(component);
        CheckBaseline(formula, baseline, data.Features.RowCount, component);
        var rows = data.RowIndices();
        var fold = CrossFitting.Folds(data, folds, context.Seed);
        var e = data.Treatment.EffectCount;
        var effects = new double[(long)rows.Length * e];
        string[] names = [];
        string control = "";
        for (var f = 0; f < folds; f++)
        {
            var train = rows.Where(r => fold[r] != f).ToArray();
            var model = learner.Fit(data with { Rows = train }, context with { Seed = CausalContext.DeriveSeed(context.Seed, f) });
            names = [.. model.EffectNames];
            control = ControlOf(model);
            var options = new ParallelOptions { MaxDegreeOfParallelism = context.MaxDegreeOfParallelism > 0 ? context.MaxDegreeOfParallelism : -1 };
            Parallel.For(0, rows.Length, options, i =>
            {
                if (fold[rows[i]] == f)
                    model.PredictCate(data.Features.Row(rows[i]), effects.AsSpan(i * e, e));
            });
        }
        var b = new double[formula.DiscountsOutcome ? rows.Length : 0];
        for (var i = 0; i < b.Length; i++)
            b[i] = baseline[rows[i]];
        return FromEffects(effects, rows.Length, names, control, formula, b);
    }

    /// <summary>
    /// <see cref="CrossFit(ICateLearner, CateData, ProfitFormula?, int, FitContext?, ReadOnlySpan{double})"/> on a data view: reads
    /// the outcome, treatment and feature vector of <paramref name="columns"/> (featurize first) as a CATE trainer does, then
    /// cross-fits; row i of the matrix is row i of <paramref name="data"/>.
    /// </summary>
    /// <param name="learner">The CATE estimator (discrete arms).</param>
    /// <param name="data">The training rows, with a feature vector column.</param>
    /// <param name="columns">The columns read (<see cref="TreatmentKind.MultiArm"/> for several levels).</param>
    /// <param name="formula">The profit formula (default: π = τ̂).</param>
    /// <param name="folds">Folds K (default 5; ≥ 2).</param>
    /// <param name="seed">The seed of the folds and fits.</param>
    /// <param name="baselineColumnName">A numeric column with b̂ per row, when the formula discounts the outcome.</param>
    /// <exception cref="SchemaMismatchException">A column is missing or of the wrong type.</exception>
    public static ProfitMatrix CrossFit(ICateLearner learner, ICausalDataView data, CateColumns columns, ProfitFormula? formula = null, int folds = 5, int seed = 0,
        string? baselineColumnName = null)
    {
        ArgumentNullException.ThrowIfNull(learner);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(columns);
        var cate = CateColumnReader.Read(data, "CateProfits.CrossFit", columns);
        var baseline = baselineColumnName is null ? default : data.GetNumericColumn(baselineColumnName).Span;
        return CrossFit(learner, cate, formula, folds, new FitContext { Seed = seed }, baseline);
    }

    /// <summary>The level names: control, then the effects; each once.</summary>
    internal static string[] LevelsOf(IReadOnlyList<string> effectNames, string controlLevel, string component)
    {
        ArgumentNullException.ThrowIfNull(effectNames);
        ArgumentException.ThrowIfNullOrEmpty(controlLevel);
        if (effectNames.Count == 0)
            throw new ArgumentException($"{component}: there are no non-control levels.", nameof(effectNames));
        string[] levels = [controlLevel, .. effectNames];
        var duplicate = levels.GroupBy(l => l, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new ArgumentException($"{component}: level '{duplicate.Key}' appears twice (the control level must not be one of the effects).", nameof(effectNames));
        return levels;
    }

    /// <summary>Writes the profits of one row: 0 at control (column 0), the formula at every other level.</summary>
    internal static void FillRow(ProfitFormula formula, ReadOnlySpan<double> depths, ReadOnlySpan<double> effects, double baseline, Span<double> row,
        int rowIndex, IReadOnlyList<string> levels, string component)
    {
        row[0] = 0;
        for (var k = 0; k < effects.Length; k++)
        {
            if (!double.IsFinite(effects[k]))
                throw new ArgumentException($"{component}: the effect of level '{levels[k + 1]}' in row {rowIndex} is {effects[k]}; effects must be finite (check the CATE model's inputs for that row).");
            row[k + 1] = formula.Profit(depths[k + 1], effects[k], baseline);
        }
    }

    internal static void CheckBaseline(ProfitFormula formula, ReadOnlySpan<double> baseline, int rows, string component)
    {
        if (!formula.DiscountsOutcome)
            return;
        if (baseline.Length != rows)
        {
            throw new ArgumentException($"{component}: the formula gives the discount away on baseline purchases too, so it needs the expected outcome at control " +
                $"(baseline) of every row: {rows} values, found {baseline.Length}. Pass the baseline, or turn DiscountsOutcome off.", nameof(baseline));
        }
        for (var i = 0; i < rows; i++)
        {
            if (!double.IsFinite(baseline[i]))
                throw new ArgumentException($"{component}: the baseline of row {i} is {baseline[i]}; baselines must be finite.", nameof(baseline));
        }
    }

    private static string ControlOf(CateModel model) =>
        model.ControlArm ?? throw new ArgumentException($"CateProfits: the {model.Method} model has a continuous treatment; a profit matrix needs discrete levels (fit on arms).", nameof(model));
}
