using System.Collections.Immutable;

namespace Microsoft.ML.Causal.Data;

/// <summary>
/// A data view whose columns live in memory. It never copies what it is given by the library itself (views
/// produced by transforms share their input's columns); the public <see cref="Builder"/> copies the caller's
/// arrays so that later changes to them cannot reach the view.
/// </summary>
public sealed class InMemoryDataView : ICausalDataView
{
    private readonly object[] _columns; // each a boxed ReadOnlyMemory<T> of the column's storage type

    internal InMemoryDataView(DataSchema schema, int rowCount, object[] columns)
    {
        if (columns.Length != schema.Count)
            throw new ArgumentException($"The schema has {schema.Count} columns but {columns.Length} were given.");
        for (var i = 0; i < columns.Length; i++)
            CheckStorage(schema[i], rowCount, columns[i]);
        Schema = schema;
        RowCount = rowCount;
        _columns = columns;
    }

    /// <inheritdoc />
    public DataSchema Schema { get; }

    /// <inheritdoc />
    public int RowCount { get; }

    /// <inheritdoc />
    public ReadOnlyMemory<T> GetColumn<T>(int columnIndex)
    {
        if ((uint)columnIndex >= (uint)_columns.Length)
            throw new ArgumentOutOfRangeException(nameof(columnIndex), columnIndex, $"The view has {_columns.Length} columns.");
        if (_columns[columnIndex] is ReadOnlyMemory<T> memory)
            return memory;
        var column = Schema[columnIndex];
        throw new SchemaMismatchException(nameof(InMemoryDataView), column.Name,
            $"a column stored as {typeof(T).Name}", $"{column.Type} (stored as {ColumnStorage.ElementType(column.Type.Kind).Name})");
    }

    /// <summary>
    /// A view with <paramref name="input"/>'s columns followed by <paramref name="added"/>; an added column
    /// replaces an input column of the same name. Input columns are shared, not copied.
    /// </summary>
    internal static InMemoryDataView Extend(ICausalDataView input, IReadOnlyList<ColumnDefinition> added, IReadOnlyList<object> addedColumns)
    {
        var names = new HashSet<string>(added.Select(a => a.Name), StringComparer.Ordinal);
        var defs = new List<ColumnDefinition>();
        var storage = new List<object>();
        foreach (var c in input.Schema)
        {
            if (names.Contains(c.Name))
                continue;
            defs.Add(c.ToDefinition());
            storage.Add(Box(input, c));
        }
        defs.AddRange(added);
        storage.AddRange(addedColumns);
        return new InMemoryDataView(new DataSchema(defs), input.RowCount, storage.ToArray());
    }

    /// <summary>A copy of the rows of <paramref name="input"/> listed in <paramref name="rows"/>, in that order.</summary>
    internal static InMemoryDataView SelectRows(ICausalDataView input, ReadOnlySpan<int> rows)
    {
        var storage = new object[input.Schema.Count];
        for (var c = 0; c < storage.Length; c++)
        {
            var column = input.Schema[c];
            storage[c] = column.Type.Kind switch
            {
                ColumnKind.Double => Select<double>(input.GetColumn<double>(c).Span, rows, 1),
                ColumnKind.Vector => Select<double>(input.GetColumn<double>(c).Span, rows, column.Type.Size),
                ColumnKind.Single => Select<float>(input.GetColumn<float>(c).Span, rows, 1),
                ColumnKind.Int32 or ColumnKind.Key => Select<int>(input.GetColumn<int>(c).Span, rows, 1),
                ColumnKind.Boolean => Select<bool>(input.GetColumn<bool>(c).Span, rows, 1),
                ColumnKind.Text => Select<string>(input.GetColumn<string>(c).Span, rows, 1),
                _ => throw new InvalidOperationException(),
            };
        }
        return new InMemoryDataView(input.Schema, rows.Length, storage);
    }

    internal static object Box(ICausalDataView view, DataSchema.Column column) => column.Type.Kind switch
    {
        ColumnKind.Double or ColumnKind.Vector => view.GetColumn<double>(column.Index),
        ColumnKind.Single => view.GetColumn<float>(column.Index),
        ColumnKind.Int32 or ColumnKind.Key => view.GetColumn<int>(column.Index),
        ColumnKind.Boolean => view.GetColumn<bool>(column.Index),
        ColumnKind.Text => view.GetColumn<string>(column.Index),
        _ => throw new InvalidOperationException(),
    };

    private static object Select<T>(ReadOnlySpan<T> source, ReadOnlySpan<int> rows, int size)
    {
        var result = new T[rows.Length * size];
        for (var i = 0; i < rows.Length; i++)
            source.Slice(rows[i] * size, size).CopyTo(result.AsSpan(i * size, size));
        return (ReadOnlyMemory<T>)result;
    }

    private static void CheckStorage(DataSchema.Column column, int rowCount, object storage)
    {
        var type = column.Type;
        if (type.Kind == ColumnKind.Vector && type.Size == 0)
            throw new ArgumentException($"Column '{column.Name}' is a vector of unknown size; a data view needs known sizes.");
        if (type.Kind == ColumnKind.Key && type.KeyValues.Length == 0)
            throw new ArgumentException($"Column '{column.Name}' is a key with no values; a data view needs its value names.");
        var length = storage switch
        {
            ReadOnlyMemory<double> m when type.Kind is ColumnKind.Double or ColumnKind.Vector => m.Length,
            ReadOnlyMemory<float> m when type.Kind is ColumnKind.Single => m.Length,
            ReadOnlyMemory<int> m when type.Kind is ColumnKind.Int32 or ColumnKind.Key => m.Length,
            ReadOnlyMemory<bool> m when type.Kind is ColumnKind.Boolean => m.Length,
            ReadOnlyMemory<string> m when type.Kind is ColumnKind.Text => m.Length,
            _ => throw new ArgumentException($"Column '{column.Name}' of type {type} must be stored as ReadOnlyMemory<{ColumnStorage.ElementType(type.Kind).Name}>."),
        };
        if (length != (long)rowCount * type.Size)
            throw new ArgumentException($"Column '{column.Name}' holds {length} values; {rowCount} rows of {type} need {(long)rowCount * type.Size}.");
    }

    /// <summary>Builds an <see cref="InMemoryDataView"/> column by column; every column must have the same number of rows.</summary>
    public sealed class Builder
    {
        private readonly List<ColumnDefinition> _definitions = [];
        private readonly List<object> _storage = [];
        private int? _rowCount;

        /// <summary>Adds a Double column (NaN = missing).</summary>
        public Builder AddDouble(string name, ReadOnlySpan<double> values) => Add(new(name, ColumnType.Double), values.ToArray(), values.Length);

        /// <summary>
        /// Adds one Double column per name from a row-major block (row i's value of column j at
        /// <c>i·names.Count + j</c>), e.g. a feature matrix split into named columns.
        /// </summary>
        public Builder AddDoubleColumns(IReadOnlyList<string> names, ReadOnlySpan<double> rowMajor)
        {
            ArgumentNullException.ThrowIfNull(names);
            var p = names.Count;
            if (p == 0 || rowMajor.Length % p != 0)
                throw new ArgumentException($"{rowMajor.Length} values do not split into rows of {p} columns.", nameof(rowMajor));
            var n = rowMajor.Length / p;
            for (var j = 0; j < p; j++)
            {
                var column = new double[n];
                for (var i = 0; i < n; i++)
                    column[i] = rowMajor[i * p + j];
                Add(new(names[j], ColumnType.Double), column, n);
            }
            return this;
        }

        /// <summary>Adds a Single column (NaN = missing).</summary>
        public Builder AddSingle(string name, ReadOnlySpan<float> values) => Add(new(name, ColumnType.Single), values.ToArray(), values.Length);

        /// <summary>Adds an Int32 column.</summary>
        public Builder AddInt32(string name, ReadOnlySpan<int> values) => Add(new(name, ColumnType.Int32), values.ToArray(), values.Length);

        /// <summary>Adds a Boolean column.</summary>
        public Builder AddBoolean(string name, ReadOnlySpan<bool> values) => Add(new(name, ColumnType.Boolean), values.ToArray(), values.Length);

        /// <summary>Adds a Text column; null values are stored as the empty string (missing).</summary>
        public Builder AddText(string name, ReadOnlySpan<string?> values)
        {
            var copy = new string[values.Length];
            for (var i = 0; i < copy.Length; i++)
                copy[i] = values[i] ?? string.Empty;
            return Add(new(name, ColumnType.Text), copy, values.Length);
        }

        /// <summary>Adds a Key column from codes (−1 = missing) over the given value names.</summary>
        /// <exception cref="ArgumentOutOfRangeException">A code is outside −1 … count − 1; the message names the row.</exception>
        public Builder AddKey(string name, ReadOnlySpan<int> codes, IEnumerable<string> valueNames)
        {
            var type = ColumnType.Key(valueNames);
            for (var i = 0; i < codes.Length; i++)
            {
                if (codes[i] < ColumnStorage.MissingKey || codes[i] >= type.KeyValues.Length)
                    throw new ArgumentOutOfRangeException(nameof(codes), $"Column '{name}', row {i}: key code {codes[i]} is outside -1 … {type.KeyValues.Length - 1}.");
            }
            return Add(new(name, type), codes.ToArray(), codes.Length);
        }

        /// <summary>Adds a Vector column of <paramref name="size"/> slots from row-major <paramref name="values"/>.</summary>
        public Builder AddVector(string name, int size, ReadOnlySpan<double> values, IEnumerable<string>? slotNames = null)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
            if (values.Length % size != 0)
                throw new ArgumentException($"Column '{name}': {values.Length} values do not split into rows of {size}.", nameof(values));
            var slots = slotNames?.ToImmutableArray() ?? ImmutableArray<string>.Empty;
            return Add(new(name, ColumnType.Vector(size), slots), values.ToArray(), values.Length / size);
        }

        /// <summary>Creates the view.</summary>
        public InMemoryDataView Build() => new(new DataSchema(_definitions), _rowCount ?? 0, _storage.ToArray());

        private Builder Add<T>(ColumnDefinition definition, T[] values, int rows)
        {
            ArgumentException.ThrowIfNullOrEmpty(definition.Name);
            if (_rowCount is { } n && n != rows)
                throw new ArgumentException($"Column '{definition.Name}' has {rows} rows but the columns before it have {n}.");
            _rowCount = rows;
            _definitions.Add(definition);
            _storage.Add((ReadOnlyMemory<T>)values);
            return this;
        }
    }
}
