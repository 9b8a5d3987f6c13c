using System.Globalization;
using System.Text;
using CsvHelper;

namespace Microsoft.ML.Causal.Data;

/// <summary>Parses one text column's fields (UTF-8 bytes) into typed storage.</summary>
internal abstract class ColumnBuilder(string name, int index, string source)
{
    public string Name { get; } = name;

    protected int Index { get; } = index;

    protected string Source { get; } = source;

    public abstract int Count { get; }

    public abstract void Add(CsvReader reader, long line);

    public abstract ColumnType FinalType();

    public abstract object ToStorage();

    /// <summary>A builder for a column of <paramref name="type"/>, with room for <paramref name="capacity"/> rows at first (then doubling).</summary>
    public static ColumnBuilder Create(string name, int index, ColumnType type, string source, bool inferred, int capacity) => type.Kind switch
    {
        ColumnKind.Double => new NumberBuilder<double>(name, index, source, inferred, "Double", TryParseDouble, double.NaN, ColumnType.Double, capacity),
        ColumnKind.Single => new NumberBuilder<float>(name, index, source, inferred, "Single", TryParseSingle, float.NaN, ColumnType.Single, capacity),
        ColumnKind.Int32 => new NumberBuilder<int>(name, index, source, inferred, "Int32", TryParseInt32, null, ColumnType.Int32, capacity),
        ColumnKind.Boolean => new NumberBuilder<bool>(name, index, source, inferred, "Boolean", inferred ? TryParseBooleanWord : TryParseBoolean, null, ColumnType.Boolean, capacity),
        ColumnKind.Text => new TextBuilder(name, index, source),
        ColumnKind.Key => new KeyBuilder(name, index, source, type),
        _ => throw new DataLoadException(source, null, name, $"a text file cannot hold a {type} column. Load scalar columns and combine them with ctx.Transforms.Concatenate."),
    };

    public static bool IsBlank(ReadOnlySpan<byte> field) => field.Trim(" \t"u8).IsEmpty;

    public static bool TryParseDouble(ReadOnlySpan<byte> s, out double value) =>
        double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out value);

    private static bool TryParseSingle(ReadOnlySpan<byte> s, out float value) =>
        float.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out value);

    private static bool TryParseInt32(ReadOnlySpan<byte> s, out int value) =>
        int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out value);

    /// <summary>Parses <c>true</c>/<c>false</c> (any case); what inference calls Boolean.</summary>
    public static bool TryParseBooleanWord(ReadOnlySpan<byte> s, out bool value)
    {
        var t = s.Trim(" \t"u8);
        value = Ascii.EqualsIgnoreCase(t, "true"u8);
        return value || Ascii.EqualsIgnoreCase(t, "false"u8);
    }

    /// <summary>Parses <c>true</c>/<c>false</c> (any case) or <c>1</c>/<c>0</c>, for a column declared Boolean.</summary>
    private static bool TryParseBoolean(ReadOnlySpan<byte> s, out bool value)
    {
        var t = s.Trim(" \t"u8);
        if (t.SequenceEqual("1"u8) || t.SequenceEqual("0"u8))
        {
            value = t[0] == (byte)'1';
            return true;
        }
        return TryParseBooleanWord(t, out value);
    }

    private delegate bool Parser<T>(ReadOnlySpan<byte> s, out T value);

    private sealed class NumberBuilder<T>(string name, int index, string source, bool inferred, string typeName, Parser<T> parse, T? missing, ColumnType type, int capacity)
        : ColumnBuilder(name, index, source) where T : struct
    {
        private T[] _values = new T[Math.Max(capacity, 1)];
        private int _count;

        public override int Count => _count;

        public override void Add(CsvReader reader, long line)
        {
            var field = reader.GetSpan(Index);
            T value;
            if (IsBlank(field))
            {
                // An inferred Boolean column met its first empty cell after the sample: read it again as Text.
                if (missing is null && inferred)
                    throw new CsvDataLoader.InferenceContradicted(Index);
                value = missing ?? throw new DataLoadException(Source, line, Name,
                    $"the cell is empty, and a {typeName} column has no missing value. Fill the cell, or declare the column as "
                    + (typeName == "Boolean" ? "ColumnType.Text (an empty cell then reads as the empty string)." : "ColumnType.Double (an empty cell then reads as NaN)."));
            }
            else if (!parse(field, out value))
            {
                if (inferred)
                    throw new CsvDataLoader.InferenceContradicted(Index);
                throw new DataLoadException(Source, line, Name,
                    $"'{CsvDataLoader.Truncate(Encoding.UTF8.GetString(field))}' is not a {typeName}. Numbers use '.' as the decimal point whatever the OS culture; fix the value or declare the column as ColumnType.Text.");
            }
            if (_count == _values.Length)
                Array.Resize(ref _values, (int)Math.Min(Array.MaxLength, _values.Length * 2L));
            _values[_count++] = value;
        }

        public override ColumnType FinalType() => type;

        public override object ToStorage() => (ReadOnlyMemory<T>)_values.AsMemory(0, _count);
    }

    private sealed class TextBuilder(string name, int index, string source) : ColumnBuilder(name, index, source)
    {
        private readonly List<string> _values = [];

        public override int Count => _values.Count;

        // The reader pools repeated strings per column, so a column of few categories stays small.
        public override void Add(CsvReader reader, long line) => _values.Add(reader.GetString(Index));

        public override ColumnType FinalType() => ColumnType.Text;

        public override object ToStorage() => (ReadOnlyMemory<string>)_values.ToArray();
    }

    private sealed class KeyBuilder : ColumnBuilder
    {
        private readonly Dictionary<string, int> _codes = new(StringComparer.Ordinal);
        private readonly List<int> _values = [];
        private readonly bool _learn;
        private readonly List<string> _names = [];

        public KeyBuilder(string name, int index, string source, ColumnType type)
            : base(name, index, source)
        {
            _learn = type.KeyValues.Length == 0;
            foreach (var v in type.KeyValues)
            {
                _codes[v] = _names.Count;
                _names.Add(v);
            }
        }

        public override int Count => _values.Count;

        public override void Add(CsvReader reader, long line)
        {
            var field = reader.GetString(Index);
            if (field.Length == 0)
            {
                _values.Add(ColumnStorage.MissingKey);
                return;
            }
            if (!_codes.TryGetValue(field, out var code))
            {
                if (!_learn)
                    throw new DataLoadException(Source, line, Name,
                        $"'{CsvDataLoader.Truncate(field)}' is not one of the declared key values ({string.Join(", ", _names.Take(10))}). Add it to the Key type or declare the column with ColumnType.Key([]) to learn the values.");
                code = _names.Count;
                _codes[field] = code;
                _names.Add(field);
            }
            _values.Add(code);
        }

        public override ColumnType FinalType() => ColumnType.Key(_learn ? _names.Order(StringComparer.Ordinal) : _names);

        public override object ToStorage()
        {
            var codes = _values.ToArray();
            if (_learn)
            {
                // Codes were given in order of appearance; renumber them to follow the sorted value names.
                var sorted = _names.Order(StringComparer.Ordinal).ToList();
                var remap = _names.Select(n => sorted.BinarySearch(n, StringComparer.Ordinal)).ToArray();
                for (var i = 0; i < codes.Length; i++)
                {
                    if (codes[i] >= 0)
                        codes[i] = remap[codes[i]];
                }
            }
            return (ReadOnlyMemory<int>)codes;
        }
    }
}
