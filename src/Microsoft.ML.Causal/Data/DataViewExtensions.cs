namespace Microsoft.ML.Causal.Data;

/// <summary>Conveniences over <see cref="ICausalDataView"/>.</summary>
public static class DataViewExtensions
{
    /// <summary>A cursor over the rows of <paramref name="view"/> that fills the named columns (all when none are given).</summary>
    public static CausalRowCursor GetRowCursor(this ICausalDataView view, params string[] columnNames)
    {
        ArgumentNullException.ThrowIfNull(view);
        return columnNames.Length == 0
            ? new CausalRowCursor(view)
            : new CausalRowCursor(view, columnNames.Select(n => view.Schema[n].Index));
    }

    /// <summary>All values of the named column.</summary>
    /// <exception cref="SchemaMismatchException">No column of that name, or <typeparamref name="T"/> is not its storage type.</exception>
    public static ReadOnlyMemory<T> GetColumn<T>(this ICausalDataView view, string columnName)
    {
        ArgumentNullException.ThrowIfNull(view);
        if (!view.Schema.TryGetColumn(columnName, out var column))
            throw SchemaMismatchException.Missing(nameof(GetColumn), columnName, $"a column stored as {typeof(T).Name}", view.Schema);
        return view.GetColumn<T>(column.Index);
    }

    /// <summary>A numeric scalar column (Double, Single, Int32 or Boolean) as doubles; a Double column is returned without copying.</summary>
    public static ReadOnlyMemory<double> GetNumericColumn(this ICausalDataView view, string columnName)
    {
        ArgumentNullException.ThrowIfNull(view);
        if (!view.Schema.TryGetColumn(columnName, out var column))
            throw SchemaMismatchException.Missing(nameof(GetNumericColumn), columnName, "a numeric scalar", view.Schema);
        switch (column.Type.Kind)
        {
            case ColumnKind.Double:
                return view.GetColumn<double>(column.Index);
            case ColumnKind.Single:
                return Convert(view.GetColumn<float>(column.Index).Span, static v => v);
            case ColumnKind.Int32:
                return Convert(view.GetColumn<int>(column.Index).Span, static v => v);
            case ColumnKind.Boolean:
                return Convert(view.GetColumn<bool>(column.Index).Span, static v => v ? 1 : 0);
            default:
                throw new SchemaMismatchException(nameof(GetNumericColumn), columnName, "a numeric scalar (Double, Single, Int32, Boolean)", column.Type.ToString());
        }
    }

    private static double[] Convert<T>(ReadOnlySpan<T> values, Func<T, double> convert)
    {
        var result = new double[values.Length];
        for (var i = 0; i < values.Length; i++)
            result[i] = convert(values[i]);
        return result;
    }
}
