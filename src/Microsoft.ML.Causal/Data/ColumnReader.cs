namespace Microsoft.ML.Causal.Data;

/// <summary>Copies one column's values from a data view into <see cref="CausalRow"/>s, a row at a time.</summary>
internal abstract class ColumnReader
{
    public abstract void CopyTo(int row, CausalRow destination, int destinationColumn);

    public static ColumnReader Create(ICausalDataView view, int column)
    {
        var type = view.Schema[column].Type;
        return type.Kind switch
        {
            ColumnKind.Double => new NumberReader<double>(view.GetColumn<double>(column), static v => v),
            ColumnKind.Single => new NumberReader<float>(view.GetColumn<float>(column), static v => v),
            ColumnKind.Int32 or ColumnKind.Key => new NumberReader<int>(view.GetColumn<int>(column), static v => v),
            ColumnKind.Boolean => new NumberReader<bool>(view.GetColumn<bool>(column), static v => v ? 1 : 0),
            ColumnKind.Text => new TextReader(view.GetColumn<string>(column)),
            ColumnKind.Vector => new VectorReader(view.GetColumn<double>(column), type.Size),
            _ => throw new InvalidOperationException(),
        };
    }

    private sealed class NumberReader<T>(ReadOnlyMemory<T> values, Func<T, double> convert) : ColumnReader
    {
        public override void CopyTo(int row, CausalRow destination, int destinationColumn) =>
            destination.StoreNumber(destinationColumn, convert(values.Span[row]));
    }

    private sealed class TextReader(ReadOnlyMemory<string> values) : ColumnReader
    {
        public override void CopyTo(int row, CausalRow destination, int destinationColumn) =>
            destination.StoreText(destinationColumn, values.Span[row]);
    }

    private sealed class VectorReader(ReadOnlyMemory<double> values, int size) : ColumnReader
    {
        public override void CopyTo(int row, CausalRow destination, int destinationColumn) =>
            values.Span.Slice(row * size, size).CopyTo(destination.VectorArray(destinationColumn));
    }
}

/// <summary>Collects one column's values from <see cref="CausalRow"/>s into the storage of a new data view.</summary>
internal abstract class ColumnWriter
{
    public abstract void CopyFrom(CausalRow source, int sourceColumn, int row);

    /// <summary>The filled storage, boxed as <see cref="ReadOnlyMemory{T}"/>.</summary>
    public abstract object ToStorage();

    public static ColumnWriter Create(ColumnType type, int rowCount) => type.Kind switch
    {
        ColumnKind.Double => new NumberWriter<double>(rowCount, static v => v),
        ColumnKind.Single => new NumberWriter<float>(rowCount, static v => (float)v),
        ColumnKind.Int32 or ColumnKind.Key => new NumberWriter<int>(rowCount, static v => (int)v),
        ColumnKind.Boolean => new NumberWriter<bool>(rowCount, static v => v != 0),
        ColumnKind.Text => new TextWriter(rowCount),
        ColumnKind.Vector => new VectorWriter(rowCount, type.Size),
        _ => throw new InvalidOperationException(),
    };

    private sealed class NumberWriter<T>(int rowCount, Func<double, T> convert) : ColumnWriter
    {
        private readonly T[] _values = new T[rowCount];

        public override void CopyFrom(CausalRow source, int sourceColumn, int row) => _values[row] = convert(source.LoadNumber(sourceColumn));

        public override object ToStorage() => (ReadOnlyMemory<T>)_values;
    }

    private sealed class TextWriter(int rowCount) : ColumnWriter
    {
        private readonly string[] _values = new string[rowCount];

        public override void CopyFrom(CausalRow source, int sourceColumn, int row) => _values[row] = source.LoadText(sourceColumn);

        public override object ToStorage() => (ReadOnlyMemory<string>)_values;
    }

    private sealed class VectorWriter(int rowCount, int size) : ColumnWriter
    {
        private readonly double[] _values = new double[(long)rowCount * size];

        public override void CopyFrom(CausalRow source, int sourceColumn, int row) =>
            source.VectorArray(sourceColumn).CopyTo(_values.AsSpan(row * size, size));

        public override object ToStorage() => (ReadOnlyMemory<double>)_values;
    }
}
