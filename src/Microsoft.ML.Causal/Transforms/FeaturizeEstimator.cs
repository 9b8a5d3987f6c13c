using Microsoft.ML.Causal.Data;

namespace Microsoft.ML.Causal.Transforms;

/// <summary>What <see cref="FeaturizeEstimator"/> does with missing numeric values.</summary>
public enum MissingValueHandling
{
    /// <summary>Keep NaN (tree learners route it; linear learners reject it). The default.</summary>
    Keep,
    /// <summary>Replace NaN by the slot's mean at fitting and add an indicator slot <c>{column}_IsMissing</c> for each slot that had missing values.</summary>
    ReplaceWithMean,
}

/// <summary>Options of <see cref="FeaturizeEstimator"/>.</summary>
public sealed record FeaturizeOptions
{
    /// <summary>The vector column to create (default <c>Features</c>).</summary>
    public string OutputColumnName { get; init; } = "Features";

    /// <summary>The columns to featurize, in order: numeric scalars, vectors, Text or Key.</summary>
    public IReadOnlyList<string> InputColumnNames { get; init; } = [];

    /// <summary>Missing numeric values (default <see cref="MissingValueHandling.Keep"/>).</summary>
    public MissingValueHandling MissingValues { get; init; } = MissingValueHandling.Keep;

    /// <summary>Scaling of numeric slots (default null: none, as tree learners need none).</summary>
    public NormalizeMode? Normalize { get; init; }

    /// <summary>Unseen categories of Text/Key columns at scoring (default all-zero).</summary>
    public UnseenCategoryHandling UnseenCategory { get; init; } = UnseenCategoryHandling.AllZero;
}

/// <summary>
/// Turns a list of columns into one Vector&lt;Double&gt; feature column, choosing per column type: numeric
/// scalars and vectors pass through (optionally with missing values replaced and slots normalized), Text and
/// Key columns are one-hot encoded (slots <c>column.category</c>). The same computation as chaining
/// <see cref="ReplaceMissingEstimator"/>, <see cref="NormalizeEstimator"/>, <see cref="OneHotEstimator"/> and
/// <see cref="ConcatenateEstimator"/>, without the intermediate columns.
/// </summary>
public sealed class FeaturizeEstimator : ICausalEstimator<FeaturizeTransformer>
{
    /// <summary>Creates the estimator; options are checked when it is used.</summary>
    public FeaturizeEstimator(FeaturizeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
    }

    /// <summary>The options.</summary>
    public FeaturizeOptions Options { get; }

    /// <inheritdoc />
    public DataSchema GetOutputSchema(DataSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        var inputs = Inputs(inputSchema);
        var sizeKnown = inputs.All(c => TransformChecks.IsNumeric(c.Type) && c.Type.IsKnown
            && (Options.MissingValues == MissingValueHandling.Keep || !TransformChecks.CanBeMissing(c.Type)));
        return inputSchema.WithColumns([sizeKnown
            ? new ColumnDefinition(Options.OutputColumnName, ColumnType.Vector(inputs.Sum(c => c.Type.Size)), inputs.SelectMany(SlotNaming.Of))
            : new ColumnDefinition(Options.OutputColumnName, ColumnType.Vector(0))]);
    }

    /// <inheritdoc />
    public FeaturizeTransformer Fit(ICausalDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var inputs = Inputs(input.Schema);
        if (input.RowCount == 0)
            throw DataValidationException.Empty(nameof(FeaturizeEstimator), inputs[0].Name);
        var pieces = new List<FeaturePiece>();
        foreach (var column in inputs)
        {
            if (CategoryMap.Accepts(column.Type))
            {
                pieces.Add(new CategoryPiece(column.Name, CategoryMap.Fit(input, column, nameof(FeaturizeEstimator)), Options.UnseenCategory == UnseenCategoryHandling.Error));
                continue;
            }
            pieces.Add(NumericPiece.Fit(input, column, Options.MissingValues == MissingValueHandling.ReplaceWithMean, Options.Normalize));
        }
        return new FeaturizeTransformer(Options.OutputColumnName, pieces);
    }

    private DataSchema.Column[] Inputs(DataSchema schema)
    {
        if (string.IsNullOrEmpty(Options.OutputColumnName))
            throw new ArgumentException($"{nameof(FeaturizeEstimator)}: the output column name is empty.");
        if (Options.InputColumnNames is null || Options.InputColumnNames.Count == 0)
            throw new ArgumentException($"{nameof(FeaturizeEstimator)}: no input columns were given; pass at least one.");
        if (!Enum.IsDefined(Options.MissingValues) || !Enum.IsDefined(Options.UnseenCategory) || (Options.Normalize is { } n && !Enum.IsDefined(n)))
            throw new ArgumentOutOfRangeException(nameof(Options), $"{nameof(FeaturizeEstimator)}: an option has an undefined enum value.");
        if (Options.InputColumnNames.Distinct(StringComparer.Ordinal).Count() != Options.InputColumnNames.Count)
            throw new ArgumentException($"{nameof(FeaturizeEstimator)}: an input column is named twice.");
        return Options.InputColumnNames.Select(name => TransformChecks.Require(nameof(FeaturizeEstimator), schema, name, FeaturePiece.Accepts,
            "a numeric scalar, Vector<Double>, Text or Key")).ToArray();
    }
}
