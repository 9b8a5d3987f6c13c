using Microsoft.ML.Causal.Data;

namespace Microsoft.ML.Causal;

/// <summary>
/// The per-row computation of a <see cref="RowToRowTransformerBase"/>, bound to one input schema: which input
/// columns it reads, which columns it adds, and how it computes them. Both batch <c>Transform</c> and single-row
/// scoring run this one computation, so they agree exactly.
/// </summary>
public abstract class RowFunction
{
    /// <summary>Binds the function to <paramref name="inputSchema"/>.</summary>
    /// <param name="inputSchema">The schema of the rows the function reads.</param>
    /// <param name="inputColumns">Indices (in <paramref name="inputSchema"/>) of the columns it reads.</param>
    /// <param name="addedColumns">The columns it adds, with fully known types.</param>
    protected RowFunction(DataSchema inputSchema, IEnumerable<int> inputColumns, IEnumerable<ColumnDefinition> addedColumns)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        InputSchema = inputSchema;
        InputColumns = inputColumns.Distinct().Order().ToArray();
        AddedSchema = new DataSchema(addedColumns);
        OutputSchema = inputSchema.WithColumns(AddedSchema.ToDefinitions());
    }

    /// <summary>The schema of the rows read.</summary>
    public DataSchema InputSchema { get; }

    /// <summary>The input columns read, ascending.</summary>
    public IReadOnlyList<int> InputColumns { get; }

    /// <summary>The added columns alone, in order.</summary>
    public DataSchema AddedSchema { get; }

    /// <summary>The input columns (less those replaced) followed by the added ones.</summary>
    public DataSchema OutputSchema { get; }

    /// <summary>
    /// Computes the added columns of one row. <paramref name="input"/> follows <see cref="InputSchema"/> (only
    /// <see cref="InputColumns"/> are guaranteed filled); <paramref name="added"/> follows <see cref="AddedSchema"/>.
    /// Must not keep state between calls.
    /// </summary>
    /// <param name="input">The input row.</param>
    /// <param name="added">The row to write the added columns into.</param>
    /// <param name="rowIndex">The 0-based row position in a batch (for error messages), or −1 for single-row scoring.</param>
    public abstract void Compute(CausalRow input, CausalRow added, int rowIndex);

    /// <summary>
    /// How many consecutive rows a batch transform hands to <see cref="ComputeBlock"/> at once; 1 (the default)
    /// computes row by row. Override together with <see cref="ComputeBlock"/> when rows are computed faster
    /// together (e.g. a model's batch prediction).
    /// </summary>
    public virtual int BlockRows => 1;

    /// <summary>
    /// Computes the added columns of consecutive rows of a batch (at most <see cref="BlockRows"/>): row
    /// <paramref name="firstRowIndex"/> + i is read from <paramref name="inputs"/>[i] and written to
    /// <paramref name="added"/>[i]. It must give exactly what <see cref="Compute"/> gives row by row (which the
    /// default does); the rows' order in the output never depends on how the batch is cut.
    /// </summary>
    /// <param name="inputs">The input rows, as for <see cref="Compute"/>.</param>
    /// <param name="added">One row per input to write the added columns into.</param>
    /// <param name="firstRowIndex">The 0-based batch position of the first row (for error messages).</param>
    public virtual void ComputeBlock(ReadOnlySpan<CausalRow> inputs, ReadOnlySpan<CausalRow> added, int firstRowIndex)
    {
        for (var i = 0; i < inputs.Length; i++)
            Compute(inputs[i], added[i], firstRowIndex + i);
    }
}
