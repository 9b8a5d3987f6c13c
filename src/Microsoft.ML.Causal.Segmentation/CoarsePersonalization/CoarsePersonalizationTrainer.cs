using Microsoft.ML.Causal.Data;

namespace Microsoft.ML.Causal.Segmentation.CoarsePersonalization;

/// <summary>
/// Coarse personalization as a pipeline estimator, placed after a multi-arm CATE transformer: reads the <c>Cate</c> vector
/// (and a baseline column when the profit formula needs one), turns every row into its profits πᵢ(t) at each level with the
/// <see cref="ProfitFormula"/>, chooses at most K levels and who gets which with <see cref="LloydSolver"/> (exact transport
/// assignment under share bounds), and returns a <see cref="CoarsePersonalizationTransformer"/> that adds
/// <c>AssignedLevel</c>, <c>ExpectedProfit</c> and <c>Segment</c>. Create it with <c>ctx.Segmentation.CoarsePersonalization</c>.
/// </summary>
/// <remarks>
/// In a chain, the rows it is fitted on carry the CATE transformer's predictions for the rows that model was fitted on
/// (in-sample). To choose the levels on out-of-fold profits instead, compute them with <see cref="CateProfits.CrossFit(Microsoft.ML.Causal.Trainers.ICateLearner, ICausalDataView, Microsoft.ML.Causal.Trainers.CateColumns, ProfitFormula?, int, int, string?)"/>
/// and solve with <see cref="LloydSolver"/> directly, then append <see cref="CoarsePersonalizationTransformer.FromPolicy"/> to the fitted CATE chain.
/// </remarks>
public sealed class CoarsePersonalizationTrainer : ICausalEstimator<CoarsePersonalizationTransformer>
{
    internal const string Component = "CoarsePersonalization trainer";

    /// <summary>Creates the trainer.</summary>
    /// <param name="options">K, the columns, the profit formula and the solver's options.</param>
    /// <param name="seed">The solver's seed when <see cref="CoarsePersonalizationOptions.Seed"/> is null.</param>
    /// <exception cref="ArgumentException">K is below 1, a column name is empty, or the profit formula's numbers are invalid.</exception>
    public CoarsePersonalizationTrainer(CoarsePersonalizationOptions options, int seed = 0)
    {
        Validate(options);
        Options = options;
        Seed = options.Seed ?? seed;
    }

    /// <summary>The options.</summary>
    public CoarsePersonalizationOptions Options { get; }

    /// <summary>Checks the options' columns, K and profit formula.</summary>
    internal static void Validate(CoarsePersonalizationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(options.CateColumnName, nameof(options));
        ArgumentException.ThrowIfNullOrEmpty(options.ControlLevel, nameof(options));
        ArgumentNullException.ThrowIfNull(options.Profit, nameof(options));
        ArgumentNullException.ThrowIfNull(options.Solver, nameof(options));
        if (options.OfferedLevels < 1)
            throw new ArgumentOutOfRangeException(nameof(options), options.OfferedLevels, "CoarsePersonalization: K (OfferedLevels) must be at least 1.");
        options.Profit.Validate(Component);
        if (options.Profit.DiscountsOutcome && string.IsNullOrEmpty(options.BaselineColumnName))
            throw new ArgumentException("CoarsePersonalization: the profit formula discounts the outcome, so it needs each row's expected outcome at control; set BaselineColumnName.", nameof(options));
    }

    /// <summary>The solver's seed.</summary>
    public int Seed { get; }

    /// <inheritdoc />
    public DataSchema GetOutputSchema(DataSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        var effects = CoarsePersonalizationTransformer.CheckCate(inputSchema, Component, Options.CateColumnName, null, promise: true);
        CoarsePersonalizationTransformer.CheckBaseline(inputSchema, Component, Options.Profit, Options.BaselineColumnName);
        if (effects.Count > 0)
            CateProfits.LevelsOf(effects, Options.ControlLevel, Component);
        return inputSchema.WithColumns(CoarsePersonalizationTransformer.OutputColumns([]));
    }

    /// <inheritdoc />
    public CoarsePersonalizationTransformer Fit(ICausalDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var effects = CoarsePersonalizationTransformer.CheckCate(input.Schema, Component, Options.CateColumnName, null);
        CoarsePersonalizationTransformer.CheckBaseline(input.Schema, Component, Options.Profit, Options.BaselineColumnName);
        if (input.RowCount == 0)
            throw DataValidationException.Empty(Component, Options.CateColumnName);
        var cate = input.GetColumn<double>(Options.CateColumnName).Span;
        var baseline = Options.Profit.DiscountsOutcome ? input.GetNumericColumn(Options.BaselineColumnName!).Span : default;
        for (var i = 0; i < input.RowCount; i++)
        {
            CoarsePersonalizationTransformer.CheckFinite(cate.Slice(i * effects.Count, effects.Count), Options.CateColumnName, i, effects, Component);
            if (!baseline.IsEmpty)
                CoarsePersonalizationTransformer.CheckFinite(baseline.Slice(i, 1), Options.BaselineColumnName!, i, null, Component);
        }
        var profits = CateProfits.FromEffects(cate, input.RowCount, effects, Options.ControlLevel, Options.Profit, baseline);
        if (Options.OfferedLevels > profits.LevelCount)
            throw new ArgumentOutOfRangeException(nameof(Options), Options.OfferedLevels, $"{Component}: K = {Options.OfferedLevels} but there are only {profits.LevelCount} levels ({string.Join(", ", profits.LevelNames)}).");
        var policy = new LloydSolver(Options.Solver with { Seed = Seed }).Solve(profits, Options.OfferedLevels);
        return new CoarsePersonalizationTransformer(Options.CateColumnName, Options.BaselineColumnName, Options.Profit, profits.LevelNames, policy);
    }
}
