using Microsoft.ML.Causal.Data;

namespace Microsoft.ML.Causal.Transforms;

/// <summary>Options of <see cref="OneHotEstimator"/>.</summary>
public sealed record OneHotOptions
{
    /// <summary>The columns to encode: each Text or Key input becomes a Vector of 0/1 indicators, one slot per category.</summary>
    public IReadOnlyList<ColumnPair> Columns { get; init; } = [];

    /// <summary>What to do with a category not seen in fitting (default <see cref="UnseenCategoryHandling.AllZero"/>).</summary>
    public UnseenCategoryHandling UnseenCategory { get; init; } = UnseenCategoryHandling.AllZero;
}

/// <summary>
/// One-hot encoding. Fitting learns the categories of each Text column (distinct non-empty values, sorted
/// ordinally) or takes a Key column's value names. Output: a Vector&lt;Double, #categories&gt; named by
/// category; a missing value (empty text, key −1) encodes as all zeros, and so does an unseen category unless
/// <see cref="OneHotOptions.UnseenCategory"/> asks for an error.
/// </summary>
public sealed class OneHotEstimator : ICausalEstimator<OneHotTransformer>
{
    /// <summary>Creates the estimator; options are checked when it is used.</summary>
    public OneHotEstimator(OneHotOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
    }

    /// <summary>The options.</summary>
    public OneHotOptions Options { get; }

    /// <inheritdoc />
    public DataSchema GetOutputSchema(DataSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        return inputSchema.WithColumns(InputColumns(inputSchema).Select(p => new ColumnDefinition(p.Pair.OutputColumnName, ColumnType.Vector(0))));
    }

    /// <inheritdoc />
    public OneHotTransformer Fit(ICausalDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var columns = InputColumns(input.Schema);
        if (input.RowCount == 0)
            throw DataValidationException.Empty(nameof(OneHotEstimator), columns[0].Column.Name);
        var maps = columns.Select(c => (c.Pair.OutputColumnName, c.Pair.Input, CategoryMap.Fit(input, c.Column, nameof(OneHotEstimator)))).ToList();
        return new OneHotTransformer(maps, Options.UnseenCategory);
    }

    private List<(ColumnPair Pair, DataSchema.Column Column)> InputColumns(DataSchema schema)
    {
        TransformChecks.CheckPairs(nameof(OneHotEstimator), Options.Columns);
        if (!Enum.IsDefined(Options.UnseenCategory))
            throw new ArgumentOutOfRangeException(nameof(OneHotOptions.UnseenCategory), Options.UnseenCategory, "Unknown UnseenCategoryHandling value.");
        return Options.Columns.Select(p => (p, TransformChecks.Require(nameof(OneHotEstimator), schema, p.Input, CategoryMap.Accepts, "Text or Key"))).ToList();
    }
}
