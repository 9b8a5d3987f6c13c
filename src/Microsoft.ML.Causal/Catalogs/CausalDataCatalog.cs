using Microsoft.ML.Causal.Data;
using Microsoft.ML.Causal.Numerics;

namespace Microsoft.ML.Causal;

/// <summary>Loading, splitting and converting data: <c>ctx.Data</c>.</summary>
public sealed class CausalDataCatalog
{
    internal CausalDataCatalog(CausalContext context) => Context = context;

    /// <summary>The context this catalog belongs to.</summary>
    public CausalContext Context { get; }

    /// <summary>Loads a delimited text file (CSV by default) into memory.</summary>
    /// <param name="path">The file.</param>
    /// <param name="options">Header, separator, quoting and column types; defaults when null.</param>
    /// <exception cref="DataLoadException">The file cannot be parsed; the message names the line and column.</exception>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    public ICausalDataView LoadFromTextFile(string path, CsvLoadOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
            throw new FileNotFoundException($"There is no file '{path}'.", path);
        return CsvDataLoader.Load(o => CsvHelper.CsvReader.FromFile(path, o, FileOptions.SequentialScan), path, options ?? new CsvLoadOptions(),
            new FileInfo(path).Length);
    }

    /// <summary>
    /// Loads delimited text from a stream (left open), read from its current position. The loader reads its
    /// input more than once (type inference, then parsing), so a stream that cannot seek is first copied to memory.
    /// </summary>
    /// <exception cref="DataLoadException">The text cannot be parsed; the message names the line and column.</exception>
    public ICausalDataView LoadFromStream(Stream stream, CsvLoadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanSeek)
        {
            var copy = new MemoryStream();
            stream.CopyTo(copy);
            copy.Position = 0;
            stream = copy;
        }
        var start = stream.Position;
        return CsvDataLoader.Load(o =>
        {
            stream.Position = start;
            return CsvHelper.CsvReader.Create(stream, o, leaveOpen: true);
        }, "stream", options ?? new CsvLoadOptions(), stream.Length - start);
    }

    /// <summary>Loads delimited text held in a string (see <see cref="LoadFromStream"/>).</summary>
    public ICausalDataView LoadFromText(string text, CsvLoadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        return CsvDataLoader.Load(o => CsvHelper.CsvReader.FromText(text, o), "text", options ?? new CsvLoadOptions());
    }

    /// <summary>
    /// A data view over the public readable properties of <typeparamref name="T"/> (see
    /// <see cref="CausalColumnAttribute"/>). The values are copied, so later changes to the objects do not
    /// reach the view.
    /// </summary>
    /// <exception cref="SchemaMismatchException">Vector lengths differ between items, or a vector is null.</exception>
    public ICausalDataView LoadFromEnumerable<T>(IEnumerable<T> items) where T : class
    {
        ArgumentNullException.ThrowIfNull(items);
        var list = items.ToList();
        var binding = PocoBinding<T>.ForReading();
        var schema = binding.Schema(m => list.Count > 0 && m.Property.GetValue(list[0]) is double[] v && v.Length > 0
            ? v.Length
            : throw new SchemaMismatchException(typeof(T).Name, m.ColumnName, "a known vector size", "no non-empty first value",
                $"Mark property '{m.Property.Name}' with [CausalColumn(VectorSize = n)]."));
        var columns = Enumerable.Range(0, schema.Count).ToArray();
        var writers = schema.Select(c => ColumnWriter.Create(c.Type, list.Count)).ToArray();
        var row = new CausalRow(schema);
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] is null)
                throw new ArgumentException($"Item {i} of the sequence is null.", nameof(items));
            binding.Fill(list[i], row, columns);
            for (var c = 0; c < writers.Length; c++)
                writers[c].CopyFrom(row, c, i);
        }
        return new InMemoryDataView(schema, list.Count, writers.Select(w => w.ToStorage()).ToArray());
    }

    /// <summary>
    /// The rows of <paramref name="data"/> as objects of <typeparamref name="T"/>, one per row, filling each
    /// public settable property from the column of its name. Enumerated lazily.
    /// </summary>
    /// <exception cref="SchemaMismatchException">A property has no column, or a column cannot convert to it.</exception>
    public IEnumerable<T> CreateEnumerable<T>(ICausalDataView data) where T : class, new()
    {
        ArgumentNullException.ThrowIfNull(data);
        var binding = PocoBinding<T>.ForWriting();
        var setters = binding.Setters(data.Schema, nameof(CreateEnumerable));
        var cursor = new CausalRowCursor(data, binding.Members.Select(m => data.Schema[m.ColumnName].Index));
        return Enumerate(cursor, setters);

        static IEnumerable<T> Enumerate(CausalRowCursor cursor, Action<CausalRow, T>[] setters)
        {
            while (cursor.MoveNext())
            {
                var item = new T();
                foreach (var set in setters)
                    set(cursor.Current, item);
                yield return item;
            }
        }
    }

    /// <summary>
    /// Splits rows at random into a training and a test set, each in the original row order. With a
    /// stratification column, each distinct value of it is split in the same proportion.
    /// </summary>
    /// <param name="data">The rows to split.</param>
    /// <param name="testFraction">Share of rows for the test set, in (0, 1); default 0.2.</param>
    /// <param name="stratificationColumnName">A scalar column whose values are split proportionally (e.g. the treatment).</param>
    /// <param name="seed">The seed; default the context's next component seed.</param>
    public DataSplit TrainTestSplit(ICausalDataView data, double testFraction = 0.2, string? stratificationColumnName = null, int? seed = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (!(testFraction > 0 && testFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(testFraction), testFraction, "The test fraction must be strictly between 0 and 1.");
        var groups = StrataOf(data, stratificationColumnName);
        var random = new CausalRandom(seed ?? Context.NextComponentSeed());
        var isTest = new bool[data.RowCount];
        foreach (var rows in groups)
        {
            random.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(rows));
            var take = (int)Math.Round(testFraction * rows.Count, MidpointRounding.AwayFromZero);
            for (var i = 0; i < take; i++)
                isTest[rows[i]] = true;
        }
        var test = Enumerable.Range(0, data.RowCount).Where(i => isTest[i]).ToArray();
        var train = Enumerable.Range(0, data.RowCount).Where(i => !isTest[i]).ToArray();
        return new DataSplit(InMemoryDataView.SelectRows(data, train), InMemoryDataView.SelectRows(data, test));
    }

    private static List<List<int>> StrataOf(ICausalDataView data, string? column)
    {
        if (column is null)
            return [Enumerable.Range(0, data.RowCount).ToList()];
        if (!data.Schema.TryGetColumn(column, out var c))
            throw SchemaMismatchException.Missing(nameof(TrainTestSplit), column, "a scalar column to stratify by", data.Schema);
        if (c.Type.Kind == ColumnKind.Vector)
            throw new SchemaMismatchException(nameof(TrainTestSplit), column, "a scalar column to stratify by", c.Type.ToString());
        var cursor = new CausalRowCursor(data, [c.Index]);
        var groups = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        var order = new List<List<int>>();
        while (cursor.MoveNext())
        {
            var key = c.Type.Kind == ColumnKind.Text
                ? "t:" + cursor.Current.LoadText(c.Index)
                : "n:" + BitConverter.DoubleToInt64Bits(cursor.Current.LoadNumber(c.Index));
            if (!groups.TryGetValue(key, out var rows))
            {
                groups[key] = rows = [];
                order.Add(rows);
            }
            rows.Add(cursor.Position);
        }
        return order;
    }
}

/// <summary>A training set and a test set.</summary>
/// <param name="TrainSet">Rows for fitting.</param>
/// <param name="TestSet">Rows held out for evaluation.</param>
public sealed record DataSplit(ICausalDataView TrainSet, ICausalDataView TestSet);
