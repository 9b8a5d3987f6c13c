using Microsoft.ML.Causal.Data;

namespace Microsoft.ML.Causal.Cli.Output;

/// <summary>
/// What <c>causal describe</c> reports of one column. Numeric columns (and each vector's values together):
/// missing = NaN count, mean, population sd, min and max over the non-missing values. Boolean: mean = share of
/// true. Text and Key: missing = empty text or missing key, the number of distinct values and the most
/// frequent one (ties go to the ordinally smallest).
/// </summary>
internal sealed record ColumnSummary(string Name, string Type, long Missing, double? Mean, double? StandardDeviation,
    double? Min, double? Max, int? Distinct, string? Top, long? TopCount)
{
    public static ColumnSummary Of(ICausalDataView data, DataSchema.Column column) => column.Type.Kind switch
    {
        ColumnKind.Text => Categorical(column, data.GetColumn<string>(column.Index).ToArray().Select(v => v.Length == 0 ? null : v)),
        ColumnKind.Key => Categorical(column, data.GetColumn<int>(column.Index).ToArray().Select(k => k < 0 ? null : column.Type.KeyValues[k])),
        ColumnKind.Vector => Numeric(column, data.GetColumn<double>(column.Index).Span),
        _ => Numeric(column, data.GetNumericColumn(column.Name).Span),
    };

    private static ColumnSummary Numeric(DataSchema.Column column, ReadOnlySpan<double> values)
    {
        long missing = 0, count = 0;
        double sum = 0, min = double.PositiveInfinity, max = double.NegativeInfinity;
        foreach (var v in values)
        {
            if (double.IsNaN(v))
            {
                missing++;
                continue;
            }
            count++;
            sum += v;
            min = Math.Min(min, v);
            max = Math.Max(max, v);
        }
        if (count == 0)
            return new ColumnSummary(column.Name, column.Type.ToString(), missing, null, null, null, null, null, null, null);
        var mean = sum / count;
        var squares = 0.0;
        foreach (var v in values)
        {
            if (!double.IsNaN(v))
                squares += (v - mean) * (v - mean);
        }
        return new ColumnSummary(column.Name, column.Type.ToString(), missing, mean, Math.Sqrt(squares / count), min, max, null, null, null);
    }

    private static ColumnSummary Categorical(DataSchema.Column column, IEnumerable<string?> values)
    {
        long missing = 0;
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var v in values)
        {
            if (v is null)
                missing++;
            else
                counts[v] = counts.GetValueOrDefault(v) + 1;
        }
        var top = counts.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal).FirstOrDefault();
        var type = column.Type.Kind == ColumnKind.Key ? $"Key<{column.Type.KeyValues.Length}>" : column.Type.ToString();
        return new ColumnSummary(column.Name, type, missing, null, null, null, null, counts.Count,
            counts.Count > 0 ? top.Key : null, counts.Count > 0 ? top.Value : null);
    }

}
