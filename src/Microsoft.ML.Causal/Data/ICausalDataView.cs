namespace Microsoft.ML.Causal.Data;

/// <summary>
/// An immutable table: a schema, a row count and, per column, its values as one contiguous block of memory.
/// </summary>
/// <remarks>
/// <para>The columnar fast path <see cref="GetColumn{T}(int)"/> is what learners use. Row-by-row access goes
/// through <see cref="CausalRowCursor"/> (see <see cref="DataViewExtensions.GetRowCursor"/>).</para>
/// <para>Storage types by <see cref="ColumnKind"/>: Double → <see cref="double"/>, Single → <see cref="float"/>,
/// Int32 → <see cref="int"/>, Boolean → <see cref="bool"/>, Text → <see cref="string"/>, Key → <see cref="int"/>
/// code (−1 = missing), Vector → <see cref="double"/>, row-major with <c>Size</c> values per row.</para>
/// <para>Implementations must never change the values they hand out.</para>
/// </remarks>
public interface ICausalDataView
{
    /// <summary>The columns of the table.</summary>
    DataSchema Schema { get; }

    /// <summary>Number of rows.</summary>
    int RowCount { get; }

    /// <summary>All values of the column at <paramref name="columnIndex"/>.</summary>
    /// <typeparam name="T">The storage type of the column's kind (see the remarks on <see cref="ICausalDataView"/>).</typeparam>
    /// <exception cref="SchemaMismatchException"><typeparamref name="T"/> is not the column's storage type.</exception>
    ReadOnlyMemory<T> GetColumn<T>(int columnIndex);
}
