using Microsoft.ML.Causal.Data;

namespace Microsoft.ML.Causal.Transforms;

/// <summary>
/// Per-slot statistics of a numeric column (a scalar is one slot), over its non-missing values, computed in
/// row order so the result never depends on the thread count.
/// </summary>
internal sealed class SlotStatistics
{
    private SlotStatistics(int slots)
    {
        Count = new long[slots];
        Mean = new double[slots];
        StandardDeviation = new double[slots];
        Min = Enumerable.Repeat(double.PositiveInfinity, slots).ToArray();
        Max = Enumerable.Repeat(double.NegativeInfinity, slots).ToArray();
    }

    public long[] Count { get; }

    public double[] Mean { get; }

    /// <summary>Population standard deviation (divisor n).</summary>
    public double[] StandardDeviation { get; }

    public double[] Min { get; }

    public double[] Max { get; }

    /// <summary>True when some value of the slot was missing.</summary>
    public bool[] HadMissing { get; private set; } = [];

    /// <summary>Row-major values of the column (width = slots per row).</summary>
    public static (ReadOnlyMemory<double> Values, int Width) Values(ICausalDataView data, DataSchema.Column column) =>
        column.Type.Kind == ColumnKind.Vector
            ? (data.GetColumn<double>(column.Index), column.Type.Size)
            : (data.GetNumericColumn(column.Name), 1);

    /// <summary>Counts, means, deviations and ranges; rejects infinite values naming the row.</summary>
    public static SlotStatistics Compute(ICausalDataView data, DataSchema.Column column, string component)
    {
        var (memory, width) = Values(data, column);
        var values = memory.Span;
        var s = new SlotStatistics(width);
        var sum = new double[width];
        var missing = new bool[width];
        for (var i = 0; i < values.Length; i++)
        {
            var v = values[i];
            var slot = i % width;
            if (double.IsNaN(v))
            {
                missing[slot] = true;
                continue;
            }
            if (double.IsInfinity(v))
                throw DataValidationException.NotFinite(component, column.Name, i / width, v, "Replace infinite values before this step; only NaN (missing) is allowed.");
            s.Count[slot]++;
            sum[slot] += v;
            if (v < s.Min[slot])
                s.Min[slot] = v;
            if (v > s.Max[slot])
                s.Max[slot] = v;
        }
        for (var j = 0; j < width; j++)
        {
            if (s.Count[j] == 0)
            {
                throw new DataValidationException(component, column.Name, null,
                    width == 1 ? "every value is missing (NaN), so nothing can be learned from it." : $"every value of slot {j} is missing (NaN), so nothing can be learned from it.",
                    "Fill the column, use a constant replacement, or leave the column out.");
            }
            s.Mean[j] = sum[j] / s.Count[j];
        }
        var squares = new double[width];
        for (var i = 0; i < values.Length; i++)
        {
            var v = values[i];
            if (!double.IsNaN(v))
            {
                var d = v - s.Mean[i % width];
                squares[i % width] += d * d;
            }
        }
        for (var j = 0; j < width; j++)
            s.StandardDeviation[j] = Math.Sqrt(squares[j] / s.Count[j]);
        s.HadMissing = missing;
        return s;
    }

    /// <summary>Per-slot medians of the non-missing values (the mean of the two middle values for an even count).</summary>
    public static double[] Medians(ICausalDataView data, DataSchema.Column column, SlotStatistics stats)
    {
        var (memory, width) = Values(data, column);
        var values = memory.Span;
        var medians = new double[width];
        var buffer = new double[stats.Count.Max()];
        for (var j = 0; j < width; j++)
        {
            var n = 0;
            for (var i = j; i < values.Length; i += width)
            {
                if (!double.IsNaN(values[i]))
                    buffer[n++] = values[i];
            }
            var span = buffer.AsSpan(0, n);
            span.Sort();
            medians[j] = n % 2 == 1 ? span[n / 2] : 0.5 * (span[n / 2 - 1] + span[n / 2]);
        }
        return medians;
    }
}
