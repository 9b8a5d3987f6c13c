using Microsoft.ML.Causal.Data;
using Xunit;
using Xunit.Sdk;

namespace Microsoft.ML.Causal.TestFramework;

/// <summary>Exact comparisons of data views: same schema, and every value bit-identical.</summary>
public static class DataViewAssert
{
    /// <summary>Asserts <paramref name="actual"/> has <paramref name="expected"/>'s schema and bit-identical values.</summary>
    public static void Identical(ICausalDataView expected, ICausalDataView actual, string because = "")
    {
        Assert.True(expected.Schema.Equals(actual.Schema), $"Schemas differ {because}:\n{expected.Schema}\n---\n{actual.Schema}");
        Assert.True(expected.RowCount == actual.RowCount, $"Row counts differ {because}: {expected.RowCount} vs {actual.RowCount}");
        foreach (var c in expected.Schema)
            ColumnIdentical(expected, actual, c, because);
    }

    /// <summary>Asserts the named column holds bit-identical values in both views.</summary>
    public static void ColumnIdentical(ICausalDataView expected, ICausalDataView actual, DataSchema.Column column, string because = "")
    {
        var other = actual.Schema[column.Name];
        switch (column.Type.Kind)
        {
            case ColumnKind.Double or ColumnKind.Vector:
                Bits(expected.GetColumn<double>(column.Index).Span, actual.GetColumn<double>(other.Index).Span, column.Name, because);
                break;
            case ColumnKind.Single:
                Same(expected.GetColumn<float>(column.Index).Span, actual.GetColumn<float>(other.Index).Span, column.Name, because, (a, b) => BitConverter.SingleToInt32Bits(a) == BitConverter.SingleToInt32Bits(b));
                break;
            case ColumnKind.Int32 or ColumnKind.Key:
                Same(expected.GetColumn<int>(column.Index).Span, actual.GetColumn<int>(other.Index).Span, column.Name, because, (a, b) => a == b);
                break;
            case ColumnKind.Boolean:
                Same(expected.GetColumn<bool>(column.Index).Span, actual.GetColumn<bool>(other.Index).Span, column.Name, because, (a, b) => a == b);
                break;
            case ColumnKind.Text:
                Same(expected.GetColumn<string>(column.Index).Span, actual.GetColumn<string>(other.Index).Span, column.Name, because, (a, b) => string.Equals(a, b, StringComparison.Ordinal));
                break;
        }
    }

    /// <summary>Asserts <paramref name="actual"/> holds, in every column of <paramref name="expected"/>'s schema, the same bits.</summary>
    public static void RowIdentical(CausalRow expected, CausalRow actual, int row, string because = "")
    {
        foreach (var c in expected.Schema)
        {
            Assert.True(actual.Schema.TryGetColumn(c.Name, out var other), $"Column '{c.Name}' is missing from the row {because}");
            Assert.True(c.Type == other.Type, $"Column '{c.Name}' is {c.Type} in the batch output but {other.Type} in the row {because}");
            var ok = c.Type.Kind switch
            {
                ColumnKind.Text => expected.GetText(c.Index) == actual.GetText(other.Index),
                ColumnKind.Vector => BitsEqual(expected.GetVector(c.Index), actual.GetVector(other.Index)),
                ColumnKind.Key => expected.GetKey(c.Index) == actual.GetKey(other.Index),
                _ => BitConverter.DoubleToInt64Bits(expected.GetNumber(c.Index)) == BitConverter.DoubleToInt64Bits(actual.GetNumber(other.Index)),
            };
            Assert.True(ok, $"Row {row}, column '{c.Name}' differs between batch and single-row scoring {because}");
        }
    }

    private static bool BitsEqual(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        if (a.Length != b.Length)
            return false;
        for (var i = 0; i < a.Length; i++)
        {
            if (BitConverter.DoubleToInt64Bits(a[i]) != BitConverter.DoubleToInt64Bits(b[i]))
                return false;
        }
        return true;
    }

    private static void Bits(ReadOnlySpan<double> a, ReadOnlySpan<double> b, string name, string because)
    {
        Assert.True(a.Length == b.Length, $"Column '{name}' lengths differ {because}");
        for (var i = 0; i < a.Length; i++)
        {
            if (BitConverter.DoubleToInt64Bits(a[i]) != BitConverter.DoubleToInt64Bits(b[i]))
                throw new XunitException($"Column '{name}', value {i}: {a[i]:R} vs {b[i]:R} {because}");
        }
    }

    private static void Same<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, string name, string because, Func<T, T, bool> equal)
    {
        Assert.True(a.Length == b.Length, $"Column '{name}' lengths differ {because}");
        for (var i = 0; i < a.Length; i++)
        {
            if (!equal(a[i], b[i]))
                throw new XunitException($"Column '{name}', value {i}: {a[i]} vs {b[i]} {because}");
        }
    }
}
