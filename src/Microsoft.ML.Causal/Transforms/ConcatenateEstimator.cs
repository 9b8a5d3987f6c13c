using Microsoft.ML.Causal.Data;

namespace Microsoft.ML.Causal.Transforms;

/// <summary>
/// Concatenates numeric scalar columns (Double, Single, Int32, Boolean as 0/1) and Vector columns, in the order
/// given, into one Vector&lt;Double&gt; column. Slot names: the column name for a scalar, <c>column.slot</c>
/// for a named vector slot, <c>column[j]</c> otherwise. Nothing is learned: fitting only checks the schema.
/// Text and Key columns must be one-hot encoded first (or use <c>Featurize</c>).
/// </summary>
public sealed class ConcatenateEstimator : ICausalEstimator<ConcatenateTransformer>
{
    /// <summary>Creates the estimator.</summary>
    /// <param name="outputColumnName">The vector column to create.</param>
    /// <param name="inputColumnNames">The columns to concatenate, in order.</param>
    public ConcatenateEstimator(string outputColumnName, IReadOnlyList<string> inputColumnNames)
    {
        ArgumentNullException.ThrowIfNull(outputColumnName);
        ArgumentNullException.ThrowIfNull(inputColumnNames);
        OutputColumnName = outputColumnName;
        InputColumnNames = inputColumnNames.ToArray();
    }

    /// <summary>The vector column created.</summary>
    public string OutputColumnName { get; }

    /// <summary>The columns concatenated, in order.</summary>
    public IReadOnlyList<string> InputColumnNames { get; }

    /// <inheritdoc />
    public DataSchema GetOutputSchema(DataSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        var inputs = ConcatenateTransformer.Inputs(OutputColumnName, InputColumnNames, inputSchema, nameof(ConcatenateEstimator));
        var known = inputs.All(c => c.Type.IsKnown);
        return inputSchema.WithColumns([known
            ? new ColumnDefinition(OutputColumnName, ColumnType.Vector(inputs.Sum(c => c.Type.Size)), inputs.SelectMany(SlotNaming.Of))
            : new ColumnDefinition(OutputColumnName, ColumnType.Vector(0))]);
    }

    /// <inheritdoc />
    public ConcatenateTransformer Fit(ICausalDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        ConcatenateTransformer.Inputs(OutputColumnName, InputColumnNames, input.Schema, nameof(ConcatenateEstimator));
        return new ConcatenateTransformer(OutputColumnName, InputColumnNames);
    }
}
