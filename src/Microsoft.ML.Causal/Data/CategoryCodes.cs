using System.Globalization;

namespace Microsoft.ML.Causal.Data;

/// <summary>
/// Codes a Text or numeric category column: its distinct values, sorted (ordinal for text, ascending for
/// numbers), and each row's index among them. A missing value (empty text, non-finite number) throws the
/// exception <c>missing</c> builds for its row.
/// </summary>
internal static class CategoryCodes
{
    /// <summary>Codes 0 … k−1 of the k distinct texts, in ordinal order.</summary>
    public static (int[] Codes, string[] Names) FromText(ReadOnlySpan<string> texts, Func<int, Exception> missing)
    {
        var distinct = new SortedSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < texts.Length; i++)
        {
            if (string.IsNullOrEmpty(texts[i]))
                throw missing(i);
            distinct.Add(texts[i]);
        }
        var names = distinct.ToArray();
        var codes = new int[texts.Length];
        for (var i = 0; i < texts.Length; i++)
            codes[i] = Array.BinarySearch(names, texts[i], StringComparer.Ordinal);
        return (codes, names);
    }

    /// <summary>Codes 0 … k−1 of the k distinct numbers, in ascending order.</summary>
    public static (int[] Codes, double[] Levels) FromNumbers(ReadOnlySpan<double> values, Func<int, Exception> missing)
    {
        var distinct = new SortedSet<double>();
        for (var i = 0; i < values.Length; i++)
        {
            if (!double.IsFinite(values[i]))
                throw missing(i);
            distinct.Add(values[i]);
        }
        var levels = distinct.ToArray();
        var codes = new int[values.Length];
        for (var i = 0; i < values.Length; i++)
            codes[i] = Array.BinarySearch(levels, values[i]);
        return (codes, levels);
    }

    /// <summary>The name of a numeric level: round-trip, invariant culture.</summary>
    public static string Name(double level) => level.ToString("R", CultureInfo.InvariantCulture);
}
