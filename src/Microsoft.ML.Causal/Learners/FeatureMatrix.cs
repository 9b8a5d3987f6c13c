using System.Collections.Concurrent;
using System.Collections.Immutable;
using Microsoft.ML.Causal.Learners.Trees;

namespace Microsoft.ML.Causal.Learners;

/// <summary>
/// Dense features of n rows × p columns, row-major, as learners consume them. Immutable. Tree learners bin it
/// once per bin count (<see cref="GetBinned"/>), and every fit on a subset of rows (folds, bootstrap samples)
/// reuses that binning without copying.
/// </summary>
public sealed class FeatureMatrix
{
    private readonly double[] _values;
    private readonly ConcurrentDictionary<int, Lazy<BinnedMatrix>> _binned = new();

    /// <summary>Wraps row-major <paramref name="values"/> (copied) of <paramref name="rowCount"/> rows.</summary>
    /// <param name="values">n·p values, row after row; NaN marks a missing value.</param>
    /// <param name="rowCount">n.</param>
    /// <param name="columnCount">p.</param>
    /// <param name="columnNames">Names of the p columns (default <c>f0</c>, <c>f1</c>, …), used in error messages and importances.</param>
    public FeatureMatrix(ReadOnlySpan<double> values, int rowCount, int columnCount, IEnumerable<string>? columnNames = null)
        : this(values.ToArray(), rowCount, columnCount, columnNames)
    {
    }

    private FeatureMatrix(double[] values, int rowCount, int columnCount, IEnumerable<string>? columnNames)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rowCount);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(columnCount);
        if (values.Length != (long)rowCount * columnCount)
            throw new ArgumentException($"{values.Length} values do not make {rowCount} rows of {columnCount} columns.", nameof(values));
        _values = values;
        RowCount = rowCount;
        ColumnCount = columnCount;
        ColumnNames = (columnNames ?? Enumerable.Range(0, columnCount).Select(j => $"f{j}")).ToImmutableArray();
        if (ColumnNames.Length != columnCount)
            throw new ArgumentException($"{ColumnNames.Length} column names for {columnCount} columns.", nameof(columnNames));
    }

    /// <summary>Takes ownership of <paramref name="values"/> without copying (the caller must not change them).</summary>
    internal static FeatureMatrix Wrap(double[] values, int rowCount, int columnCount, IEnumerable<string>? columnNames = null) =>
        new(values, rowCount, columnCount, columnNames);

    /// <summary>
    /// The features in a Vector column of <paramref name="data"/>, without copying when the column's storage is a
    /// whole array; slot names become column names.
    /// </summary>
    /// <exception cref="SchemaMismatchException">The column is missing or not a Vector&lt;Double&gt;.</exception>
    public static FeatureMatrix FromColumn(Data.ICausalDataView data, string columnName, string component)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (!data.Schema.TryGetColumn(columnName, out var column))
            throw SchemaMismatchException.Missing(component, columnName, "Vector<Double>", data.Schema);
        if (column.Type.Kind != Data.ColumnKind.Vector)
            throw new SchemaMismatchException(component, columnName, "Vector<Double>", column.Type.ToString(),
                "Build the feature vector with ctx.Transforms.Featurize or Concatenate.");
        var memory = data.GetColumn<double>(column.Index);
        var values = System.Runtime.InteropServices.MemoryMarshal.TryGetArray(memory, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : memory.ToArray();
        IEnumerable<string>? names = column.SlotNames.IsDefaultOrEmpty ? null : column.SlotNames;
        return new FeatureMatrix(values, data.RowCount, column.Type.Size, names);
    }

    /// <summary>Number of rows (n).</summary>
    public int RowCount { get; }

    /// <summary>Number of columns (p).</summary>
    public int ColumnCount { get; }

    /// <summary>The column names.</summary>
    public ImmutableArray<string> ColumnNames { get; }

    /// <summary>The features of row <paramref name="row"/>.</summary>
    public ReadOnlySpan<double> Row(int row) => _values.AsSpan(row * ColumnCount, ColumnCount);

    /// <summary>The value at (<paramref name="row"/>, <paramref name="column"/>).</summary>
    public double this[int row, int column] => _values[row * ColumnCount + column];

    /// <summary>All values, row-major.</summary>
    public ReadOnlySpan<double> Values => _values;

    /// <summary>The features quantile-binned into at most <paramref name="maxBins"/> bins per column plus a missing bin; built once and cached.</summary>
    internal BinnedMatrix GetBinned(int maxBins) =>
        _binned.GetOrAdd(maxBins, b => new Lazy<BinnedMatrix>(() => BinnedMatrix.Build(this, b))).Value;
}
