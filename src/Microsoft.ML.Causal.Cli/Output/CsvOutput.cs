using System.Globalization;
using System.Text;

namespace Microsoft.ML.Causal.Cli.Output;

/// <summary>The CSV files the commands write: UTF-8 without a byte-order mark, ',' separated, '.' decimal point, round-trip numbers.</summary>
internal static class CsvOutput
{
    /// <summary>Opens <paramref name="path"/> for writing (replacing it) and writes the header row.</summary>
    public static StreamWriter Create(string path, IEnumerable<string> header)
    {
        var writer = new StreamWriter(path, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        writer.WriteLine(string.Join(',', header.Select(Quote)));
        return writer;
    }

    /// <summary>Writes <paramref name="rows"/> rows of numbers under the header <paramref name="columns"/>; <paramref name="value"/>(i, j) is row i, column j.</summary>
    public static void WriteNumbers(string path, IReadOnlyList<string> columns, int rows, Func<int, int, double> value)
    {
        using var writer = Create(path, columns);
        var line = new StringBuilder();
        for (var i = 0; i < rows; i++)
        {
            line.Clear();
            for (var j = 0; j < columns.Count; j++)
            {
                if (j > 0)
                    line.Append(',');
                line.Append(Number(value(i, j)));
            }
            writer.WriteLine(line);
        }
    }

    /// <summary>A field, quoted (inner quotes doubled) when it holds the separator, a quote or a line break.</summary>
    public static string Quote(string field) =>
        field.IndexOfAny([',', '"', '\n', '\r']) < 0 ? field : "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>A number in round-trip form, invariant culture.</summary>
    public static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
