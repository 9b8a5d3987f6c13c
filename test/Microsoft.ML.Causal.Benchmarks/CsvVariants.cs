using System.Globalization;
using CsvHelper;
using Microsoft.ML.Causal.Data;

namespace Microsoft.ML.Causal.Benchmarks;

/// <summary>The ways of reading the benchmark CSV that the harness and the micro-benchmarks compare.</summary>
internal static class CsvVariants
{
    public static readonly string[] Names = ["baseline", "load", "load-typed", "load+featurize"];

    /// <summary>Runs one variant; returns a checksum so the work cannot be skipped.</summary>
    public static double Run(string variant, string path, int columns) => variant switch
    {
        "baseline" => Baseline(path, columns),
        "load" => Checksum(new CausalContext(1).Data.LoadFromTextFile(path)),
        "load-typed" => Checksum(new CausalContext(1).Data.LoadFromTextFile(path, Typed(columns))),
        "load+featurize" => Featurize(path, columns),
        _ => throw new ArgumentException($"Unknown variant '{variant}'."),
    };

    /// <summary>
    /// What a hand-written reader does: CsvHelper's UTF-8 reader, every field parsed straight into per-column
    /// double[] arrays that grow by doubling (the row count is not known in advance, as for our loader).
    /// </summary>
    public static double Baseline(string path, int columns)
    {
        var options = new CsvReaderOptions { Separator = ',', HasHeader = true };
        using var reader = CsvReader.FromFile(path, options, FileOptions.SequentialScan);
        var data = new double[columns][];
        for (var c = 0; c < columns; c++)
            data[c] = new double[1024];
        var rows = 0;
        while (reader.Read())
        {
            if (rows == data[0].Length)
            {
                for (var c = 0; c < columns; c++)
                    Array.Resize(ref data[c], rows * 2);
            }
            for (var c = 0; c < columns; c++)
                data[c][rows] = double.Parse(reader.GetSpan(c), NumberStyles.Float, CultureInfo.InvariantCulture);
            rows++;
        }
        var sum = 0.0;
        for (var c = 0; c < columns; c++)
            sum += data[c][rows - 1];
        return sum + rows;
    }

    public static CsvLoadOptions Typed(int columns) => new()
    {
        ColumnTypes = Enumerable.Range(0, columns).ToDictionary(c => $"x{c}", _ => ColumnType.Double),
    };

    private static double Featurize(string path, int columns)
    {
        var ctx = new CausalContext(1);
        var data = ctx.Data.LoadFromTextFile(path);
        var features = ctx.Transforms.Featurize("Features", Enumerable.Range(0, columns).Select(c => $"x{c}").ToArray()).Fit(data).Transform(data);
        var values = features.GetColumn<double>("Features").Span;
        return values[^1] + features.RowCount;
    }

    private static double Checksum(ICausalDataView data) => data.GetColumn<double>(data.Schema.Count - 1).Span[^1] + data.RowCount;

    /// <summary>Writes <paramref name="rows"/> × <paramref name="columns"/> seeded numbers (round-trip format), unless the file exists.</summary>
    public static string Generate(string path, int rows, int columns)
    {
        if (File.Exists(path))
            return path;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var random = new Random(20261122);
        using var writer = new StreamWriter(path + ".tmp");
        writer.WriteLine(string.Join(',', Enumerable.Range(0, columns).Select(c => $"x{c}")));
        var line = new System.Text.StringBuilder();
        for (var i = 0; i < rows; i++)
        {
            line.Clear();
            for (var c = 0; c < columns; c++)
            {
                if (c > 0)
                    line.Append(',');
                line.Append((random.NextDouble() * 1000 - 500).ToString("R", CultureInfo.InvariantCulture));
            }
            writer.WriteLine(line);
        }
        writer.Close();
        File.Move(path + ".tmp", path);
        return path;
    }
}
