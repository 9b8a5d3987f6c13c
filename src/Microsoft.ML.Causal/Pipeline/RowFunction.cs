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
}
