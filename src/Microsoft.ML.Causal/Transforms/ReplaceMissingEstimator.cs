using Microsoft.ML.Causal.Data;

namespace Microsoft.ML.Causal.Transforms;

/// <summary>What replaces a missing value.</summary>
public enum ReplacementMode
{
    /// <summary>The mean of the slot's non-missing values at fitting.</summary>
    Mean,
    /// <summary>The median of the slot's non-missing values at fitting.</summary>
    Median,
    /// <summary><see cref="ReplaceMissingOptions.Constant"/>.</summary>
    Constant,
}

/// <summary>Options of <see cref="ReplaceMissingEstimator"/>.</summary>
public sealed record ReplaceMissingOptions
{
    /// <summary>The columns: Double, Single (output of the same type) or Vector (each slot on its own).</summary>
    public IReadOnlyList<ColumnPair> Columns { get; init; } = [];

    /// <summary>The replacement (default <see cref="ReplacementMode.Mean"/>).</summary>
    public ReplacementMode Mode { get; init; } = ReplacementMode.Mean;

    /// <summary>The value used by <see cref="ReplacementMode.Constant"/> (default 0); must not be NaN.</summary>
    public double Constant { get; init; }

    /// <summary>
    /// Also add, per output column, a column named <c>{output}_IsMissing</c> that is 1 where the value was
    /// missing and 0 elsewhere (Double, or a Vector of the same size). Default false.
    /// </summary>
    public bool AddIndicator { get; init; }
}

/// <summary>Replaces missing values (NaN) with a per-slot mean, median or constant, optionally adding indicator columns.</summary>
public sealed class ReplaceMissingEstimator : ICausalEstimator<ReplaceMissingTransformer>
{
    /// <summary>Creates the estimator; options are checked when it is used.</summary>
    public ReplaceMissingEstimator(ReplaceMissingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
    }

    /// <summary>The options.</summary>
    public ReplaceMissingOptions Options { get; }

    /// <inheritdoc />
    public DataSchema GetOutputSchema(DataSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        return inputSchema.WithColumns(InputColumns(inputSchema)
            .SelectMany(c => ReplaceMissingTransformer.OutputDefinitions(c.Pair.OutputColumnName, c.Column, Options.AddIndicator)));
    }

    /// <inheritdoc />
    public ReplaceMissingTransformer Fit(ICausalDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var columns = InputColumns(input.Schema);
        if (input.RowCount == 0)
            throw DataValidationException.Empty(nameof(ReplaceMissingEstimator), columns[0].Column.Name);
        var fitted = new List<ReplaceMissingTransformer.Fill>();
        foreach (var (pair, column) in columns)
        {
            double[] values;
            if (Options.Mode == ReplacementMode.Constant)
            {
                values = Enumerable.Repeat(Options.Constant, column.Type.Size).ToArray();
            }
            else
            {
                var stats = SlotStatistics.Compute(input, column, nameof(ReplaceMissingEstimator));
                values = Options.Mode == ReplacementMode.Mean ? stats.Mean : SlotStatistics.Medians(input, column, stats);
            }
            if (column.Type.Kind == ColumnKind.Single)
                values[0] = (float)values[0];
            fitted.Add(new ReplaceMissingTransformer.Fill(pair.OutputColumnName, pair.Input, values));
        }
        return new ReplaceMissingTransformer(Options.Mode, Options.AddIndicator, fitted);
    }

    private List<(ColumnPair Pair, DataSchema.Column Column)> InputColumns(DataSchema schema)
    {
        TransformChecks.CheckPairs(nameof(ReplaceMissingEstimator), Options.Columns);
        if (!Enum.IsDefined(Options.Mode))
            throw new ArgumentOutOfRangeException(nameof(ReplaceMissingOptions.Mode), Options.Mode, "Unknown ReplacementMode value.");
        if (Options.Mode == ReplacementMode.Constant && double.IsNaN(Options.Constant))
            throw new ArgumentOutOfRangeException(nameof(ReplaceMissingOptions.Constant), "The replacement constant is NaN; choose a number.");
        return Options.Columns.Select(p => (p, TransformChecks.Require(nameof(ReplaceMissingEstimator), schema, p.Input, TransformChecks.CanBeMissing, "Double, Single or Vector<Double> (the kinds that can be missing)"))).ToList();
    }
}
