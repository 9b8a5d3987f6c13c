using System.Globalization;
using CsvHelper;

namespace Microsoft.ML.Causal.Data;

/// <summary>
/// Reads delimited text into an <see cref="InMemoryDataView"/> with CsvHelper's UTF-8 reader: one short pass
/// over the first rows to infer column types, then one pass that parses every field straight from its bytes.
/// </summary>
internal static class CsvDataLoader
{
    /// <summary>Column capacity when the input's size is unknown; columns then grow by doubling.</summary>
    private const int DefaultCapacity = 1024;

    /// <summary>
    /// Loads text; <paramref name="open"/> must give a fresh reader over the same input on every call. When the
    /// input's length in bytes is known (<paramref name="inputBytes"/>: a file, a seekable stream), numeric
    /// columns are sized once from the inference sample's bytes per row instead of growing by doubling, which
    /// lowers the memory peak (see RESULTS.md).
    /// </summary>
    public static InMemoryDataView Load(Func<CsvReaderOptions, CsvReader> open, string source, CsvLoadOptions options, long? inputBytes = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.InferenceRowCount < 1)
            throw new ArgumentOutOfRangeException(nameof(options), options.InferenceRowCount, "CsvLoadOptions.InferenceRowCount must be at least 1.");
        var readerOptions = new CsvReaderOptions
        {
            Separator = options.Separator,
            HasHeader = false, // the header is read here, to check its names and report lines exactly
            Mode = options.AllowQuoting ? CsvMode.Rfc4180 : CsvMode.NoEscape,
            SkipEmptyLines = true,
            TrackLineNumbers = true,
            MalformedData = CsvMalformedDataHandling.Throw,
            FieldCountMismatch = CsvFieldCountHandling.Allow,
            PoolStrings = true,
            DetectSeparatorHint = false,
            FormatProvider = CultureInfo.InvariantCulture,
        };
        var (types, capacity) = InferTypes(open, readerOptions, source, options, inputBytes);
        while (true)
        {
            try
            {
                return Parse(open, readerOptions, source, options, types, capacity);
            }
            catch (InferenceContradicted e)
            {
                types[e.Column] = ColumnType.Text; // read again with that column as Text; at most once per column
            }
        }
    }

    private static (ColumnType[] Types, int Capacity) InferTypes(Func<CsvReaderOptions, CsvReader> open, CsvReaderOptions readerOptions, string source, CsvLoadOptions options, long? inputBytes)
    {
        using var reader = open(readerOptions);
        var names = ReadHeader(reader, source, options);
        var declared = names.Select(n => options.ColumnTypes.TryGetValue(n, out var t) ? t : null).ToArray();
        var allNumbers = Enumerable.Repeat(true, names.Length).ToArray();
        var allBooleans = Enumerable.Repeat(true, names.Length).ToArray();
        var first = reader.ByteOffset; // where the first data row starts, once there is one
        var rows = 0;
        if (!options.HasHeader)
        {
            Observe(reader, allNumbers, allBooleans);
            rows = 1;
        }
        var more = true;
        while (rows < options.InferenceRowCount && (more = Read(reader, source)))
        {
            if (rows == 0)
                first = reader.ByteOffset;
            CheckFieldCount(reader, names.Length, source);
            Observe(reader, allNumbers, allBooleans);
            rows++;
        }
        var types = names.Select((_, c) => declared[c]
            ?? (allNumbers[c] ? ColumnType.Double : allBooleans[c] ? ColumnType.Boolean : ColumnType.Text)).ToArray();
        return (types, Capacity(reader, source, more, first, rows, inputBytes));
    }

    /// <summary>
    /// Rows to allocate per column: all of them when the sample reached the end of the input, else the input's
    /// bytes over the sample's bytes per row, plus 2 % (a column still grows by doubling if that falls short).
    /// </summary>
    private static int Capacity(CsvReader reader, string source, bool more, long first, int rows, long? inputBytes)
    {
        if (!more || !Read(reader, source))
            return Math.Max(rows, 1);
        if (inputBytes is not { } total || rows == 0)
            return DefaultCapacity;
        var bytesPerRow = (double)(reader.ByteOffset - first) / rows;
        var estimate = (total - first) / bytesPerRow * 1.02 + 16;
        return (int)Math.Clamp(Math.Ceiling(estimate), rows + 1, Array.MaxLength);
    }

    /// <summary>A column is Double while every non-blank value parses as a number; Boolean while every value is true/false.</summary>
    private static void Observe(CsvReader reader, bool[] allNumbers, bool[] allBooleans)
    {
        for (var c = 0; c < allNumbers.Length; c++)
        {
            var field = reader.GetSpan(c);
            if (ColumnBuilder.IsBlank(field))
            {
                allBooleans[c] = false;
                continue;
            }
            allNumbers[c] &= ColumnBuilder.TryParseDouble(field, out _);
            allBooleans[c] &= ColumnBuilder.TryParseBooleanWord(field, out _);
        }
    }

    private static InMemoryDataView Parse(Func<CsvReaderOptions, CsvReader> open, CsvReaderOptions readerOptions, string source, CsvLoadOptions options, ColumnType[] types, int capacity)
    {
        using var reader = open(readerOptions);
        var names = ReadHeader(reader, source, options);
        var builders = names.Select((n, c) => ColumnBuilder.Create(n, c, types[c], source, inferred: !options.ColumnTypes.ContainsKey(n), capacity)).ToArray();
        if (!options.HasHeader)
            AddRecord(reader, builders);
        while (Read(reader, source))
        {
            CheckFieldCount(reader, names.Length, source);
            AddRecord(reader, builders);
        }
        var rows = builders.Length == 0 ? 0 : builders[0].Count;
        var defs = builders.Select(b => new ColumnDefinition(b.Name, b.FinalType())).ToList();
        return new InMemoryDataView(new DataSchema(defs), rows, builders.Select(b => b.ToStorage()).ToArray());
    }

    private static void AddRecord(CsvReader reader, ColumnBuilder[] builders)
    {
        var line = reader.LineNumber;
        for (var c = 0; c < builders.Length; c++)
            builders[c].Add(reader, line);
    }

    /// <summary>Reads the first record: the header names, or (without a header) just the field count.</summary>
    private static string[] ReadHeader(CsvReader reader, string source, CsvLoadOptions options)
    {
        if (!Read(reader, source))
            throw new DataLoadException(source, null, null, "the file is empty; expected a header row naming the columns.");
        var count = reader.FieldCount;
        string[] names;
        if (options.HasHeader)
        {
            names = new string[count];
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < count; i++)
            {
                names[i] = reader.GetString(i).Trim();
                if (names[i].Length == 0)
                    throw new DataLoadException(source, reader.LineNumber, null, $"header field {i + 1} is empty; every column needs a name.");
                if (!seen.Add(names[i]))
                    throw new DataLoadException(source, reader.LineNumber, names[i], "this column name appears twice in the header; names must be unique.");
            }
        }
        else
        {
            names = Enumerable.Range(0, count).Select(i => $"Column{i}").ToArray();
        }
        foreach (var declared in options.ColumnTypes.Keys)
        {
            if (Array.IndexOf(names, declared) < 0)
                throw new DataLoadException(source, null, declared, $"CsvLoadOptions.ColumnTypes names this column, but the file has no such column. Columns: {string.Join(", ", names)}.");
        }
        return names;
    }

    private static bool Read(CsvReader reader, string source)
    {
        try
        {
            return reader.Read();
        }
        catch (CsvFormatException e)
        {
            throw new DataLoadException(source, e.LineNumber > 0 ? e.LineNumber : null, null,
                $"the text is not valid delimited data: {e.Message} Check the quoting on this line (a field with the separator, a quote or a line break must be quoted, and quotes inside it doubled).", e);
        }
    }

    private static void CheckFieldCount(CsvReader reader, int expected, string source)
    {
        if (reader.FieldCount != expected)
            throw new DataLoadException(source, reader.LineNumber, null,
                $"this row has {reader.FieldCount} fields but the header has {expected}. Every row needs one field per column (quote fields that contain the separator).");
    }

    internal static string Truncate(string value) => value.Length <= 40 ? value : value[..40] + "…";

    /// <summary>A value after the inference sample contradicts the inferred type of column <see cref="Column"/>.</summary>
    internal sealed class InferenceContradicted(int column) : Exception
    {
        public int Column { get; } = column;
    }
}
