using System.Globalization;
using System.Text;

namespace Microsoft.ML.Causal.Cli.Output;

/// <summary>Writes the CLI's output tables: UTF-8 without a byte-order mark, a header row, numbers round-trippable with '.' decimals.</summary>
internal static class CsvOutput
{
    /// <summary>Writes <paramref name="rows"/> rows of numbers under the header <paramref name="columns"/>; <paramref name="value"/>(i, j) is row i, column j.</summary>
    public static void WriteNumbers(string path, IReadOnlyList<string> columns, int rows, Func<int, int, double> value)
    {
        using var writer = new StreamWriter(path, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        writer.WriteLine(string.Join(',', columns.Select(Quote)));
        var line = new StringBuilder();
        for (var i = 0; i < rows; i++)
        {
            line.Clear();
            for (var j = 0; j < columns.Count; j++)
            {
                if (j > 0)
                    line.Append(',');
                line.Append(value(i, j).ToString("R", CultureInfo.InvariantCulture));
            }
            writer.WriteLine(line);
        }
    }

    /// <summary>A CSV field, quoted when it holds a separator, a quote or a line break.</summary>
    public static string Quote(string field) =>
        field.IndexOfAny([',', '"', '\n', '\r']) < 0 ? field : "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
