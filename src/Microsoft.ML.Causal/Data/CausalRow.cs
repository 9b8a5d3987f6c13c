namespace Microsoft.ML.Causal.Data;

/// <summary>
/// The values of one row for a given schema: the unit a row mapper reads and writes, and what a
/// <see cref="CausalRowCursor"/> exposes. A row is a mutable buffer owned by one caller at a time; it is not
/// thread-safe.
/// </summary>
/// <remarks>
/// Numeric scalars (Double, Single, Int32, Boolean) and key codes are held as doubles, which represent every
/// value of those kinds exactly; typed getters convert back. Vectors have one buffer each, allocated once.
/// </remarks>
public sealed class CausalRow
{
    private readonly double[] _numbers;
    private readonly string[] _texts;
    private readonly double[][] _vectors;

    /// <summary>Creates a row for <paramref name="schema"/>; every vector column must have a known size.</summary>
    public CausalRow(DataSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        Schema = schema;
        _numbers = new double[schema.Count];
        _texts = new string[schema.Count];
        _vectors = new double[schema.Count][];
        for (var i = 0; i < schema.Count; i++)
        {
            var type = schema[i].Type;
            _texts[i] = string.Empty;
            if (type.Kind == ColumnKind.Vector)
            {
                if (type.Size == 0)
                    throw new ArgumentException($"Column '{schema[i].Name}' is a vector of unknown size; a row needs known sizes.", nameof(schema));
                _vectors[i] = new double[type.Size];
            }
            else
            {
                _vectors[i] = Array.Empty<double>();
            }
        }
    }

    /// <summary>The schema the row follows.</summary>
    public DataSchema Schema { get; }

    /// <summary>The value of a numeric scalar column (Double, Single, Int32 or Boolean as 0/1) as a double.</summary>
    public double GetNumber(int column)
    {
        Check(column, NumericKinds);
        return _numbers[column];
    }

    /// <summary>Sets a numeric scalar column from a double, converting to the column's kind.</summary>
    /// <exception cref="ArgumentException">The value cannot be represented in the column's kind.</exception>
    public void SetNumber(int column, double value)
    {
        var kind = Check(column, NumericKinds);
        _numbers[column] = kind switch
        {
            ColumnKind.Single => (float)value,
            ColumnKind.Int32 => value == Math.Floor(value) && value is >= int.MinValue and <= int.MaxValue
                ? value
                : throw new ArgumentException($"Column '{Schema[column].Name}' is Int32 and cannot hold {value}."),
            ColumnKind.Boolean => value == 0 ? 0 : 1,
            _ => value,
        };
    }

    /// <summary>The value of a Double column.</summary>
    public double GetDouble(int column)
    {
        Check(column, ColumnKind.Double);
        return _numbers[column];
    }

    /// <summary>Sets a Double column.</summary>
    public void SetDouble(int column, double value)
    {
        Check(column, ColumnKind.Double);
        _numbers[column] = value;
    }

    /// <summary>The value of a Single column.</summary>
    public float GetSingle(int column)
    {
        Check(column, ColumnKind.Single);
        return (float)_numbers[column];
    }

    /// <summary>Sets a Single column.</summary>
    public void SetSingle(int column, float value)
    {
        Check(column, ColumnKind.Single);
        _numbers[column] = value;
    }

    /// <summary>The value of an Int32 column.</summary>
    public int GetInt32(int column)
    {
        Check(column, ColumnKind.Int32);
        return (int)_numbers[column];
    }

    /// <summary>Sets an Int32 column.</summary>
    public void SetInt32(int column, int value)
    {
        Check(column, ColumnKind.Int32);
        _numbers[column] = value;
    }

    /// <summary>The value of a Boolean column.</summary>
    public bool GetBoolean(int column)
    {
        Check(column, ColumnKind.Boolean);
        return _numbers[column] != 0;
    }

    /// <summary>Sets a Boolean column.</summary>
    public void SetBoolean(int column, bool value)
    {
        Check(column, ColumnKind.Boolean);
        _numbers[column] = value ? 1 : 0;
    }

    /// <summary>The code of a Key column (−1 = missing).</summary>
    public int GetKey(int column)
    {
        Check(column, ColumnKind.Key);
        return (int)_numbers[column];
    }

    /// <summary>Sets the code of a Key column (−1 = missing).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The code is outside −1 … count − 1.</exception>
    public void SetKey(int column, int code)
    {
        Check(column, ColumnKind.Key);
        var count = Schema[column].Type.KeyValues.Length;
        if (code < ColumnStorage.MissingKey || code >= count)
            throw new ArgumentOutOfRangeException(nameof(code), code, $"Column '{Schema[column].Name}' has {count} key values; codes run from -1 (missing) to {count - 1}.");
        _numbers[column] = code;
    }

    /// <summary>The value of a Text column (empty = missing).</summary>
    public string GetText(int column)
    {
        Check(column, ColumnKind.Text);
        return _texts[column];
    }

    /// <summary>Sets a Text column; null is stored as the empty string (missing).</summary>
    public void SetText(int column, string? value)
    {
        Check(column, ColumnKind.Text);
        _texts[column] = value ?? string.Empty;
    }

    /// <summary>The values of a Vector column.</summary>
    public ReadOnlySpan<double> GetVector(int column)
    {
        Check(column, ColumnKind.Vector);
        return _vectors[column];
    }

    /// <summary>The writable buffer of a Vector column, to fill in place.</summary>
    public Span<double> GetVectorBuffer(int column)
    {
        Check(column, ColumnKind.Vector);
        return _vectors[column];
    }

    /// <summary>Copies column <paramref name="sourceColumn"/> of <paramref name="source"/> into <paramref name="column"/> of this row; the types must be equal.</summary>
    public void CopyFrom(CausalRow source, int sourceColumn, int column)
    {
        ArgumentNullException.ThrowIfNull(source);
        var type = Schema[column].Type;
        if (source.Schema[sourceColumn].Type != type)
            throw new ArgumentException($"Cannot copy column '{source.Schema[sourceColumn].Name}' ({source.Schema[sourceColumn].Type}) into '{Schema[column].Name}' ({type}).");
        switch (type.Kind)
        {
            case ColumnKind.Text:
                _texts[column] = source._texts[sourceColumn];
                break;
            case ColumnKind.Vector:
                source._vectors[sourceColumn].AsSpan().CopyTo(_vectors[column]);
                break;
            default:
                _numbers[column] = source._numbers[sourceColumn];
                break;
        }
    }

    // Unchecked stores used by the readers that already matched the types.
    internal void StoreNumber(int column, double value) => _numbers[column] = value;

    internal void StoreText(int column, string value) => _texts[column] = value;

    internal double LoadNumber(int column) => _numbers[column];

    internal string LoadText(int column) => _texts[column];

    internal double[] VectorArray(int column) => _vectors[column];

    private static readonly ColumnKind[] NumericKinds = [ColumnKind.Double, ColumnKind.Single, ColumnKind.Int32, ColumnKind.Boolean];

    private ColumnKind Check(int column, ColumnKind expected)
    {
        var kind = Schema[column].Type.Kind;
        if (kind != expected)
            throw new SchemaMismatchException(nameof(CausalRow), Schema[column].Name, expected.ToString(), Schema[column].Type.ToString());
        return kind;
    }

    private ColumnKind Check(int column, ColumnKind[] expected)
    {
        var kind = Schema[column].Type.Kind;
        if (Array.IndexOf(expected, kind) < 0)
            throw new SchemaMismatchException(nameof(CausalRow), Schema[column].Name, "a numeric scalar (Double, Single, Int32, Boolean)", Schema[column].Type.ToString());
        return kind;
    }
}
