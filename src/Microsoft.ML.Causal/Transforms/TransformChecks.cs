using Microsoft.ML.Causal.Data;

namespace Microsoft.ML.Causal.Transforms;

/// <summary>Schema checks shared by the featurization transforms.</summary>
internal static class TransformChecks
{
    public static void CheckPairs(string component, IReadOnlyList<ColumnPair>? pairs)
    {
        if (pairs is null || pairs.Count == 0)
            throw new ArgumentException($"{component}: no columns were given; pass at least one column pair.");
        var outputs = new HashSet<string>(StringComparer.Ordinal);
        foreach (var p in pairs)
        {
            if (p is null || string.IsNullOrEmpty(p.OutputColumnName) || p.Input.Length == 0)
                throw new ArgumentException($"{component}: a column name is null or empty.");
            if (!outputs.Add(p.OutputColumnName))
                throw new ArgumentException($"{component}: the output column '{p.OutputColumnName}' is named twice.");
        }
    }

    /// <summary>The column <paramref name="name"/>, which must satisfy <paramref name="accepts"/>.</summary>
    public static DataSchema.Column Require(string component, DataSchema schema, string name, Func<ColumnType, bool> accepts, string expected)
    {
        if (!schema.TryGetColumn(name, out var column))
            throw SchemaMismatchException.Missing(component, name, expected, schema);
        if (!accepts(column.Type))
            throw new SchemaMismatchException(component, name, expected, column.Type.ToString());
        return column;
    }

    /// <summary>Numeric scalars and vectors: what the numeric transforms read.</summary>
    public static bool IsNumeric(ColumnType type) => type.IsNumericScalar || type.Kind == ColumnKind.Vector;

    /// <summary>Double, Single or Vector: the kinds that can hold a missing value (NaN).</summary>
    public static bool CanBeMissing(ColumnType type) => type.Kind is ColumnKind.Double or ColumnKind.Single or ColumnKind.Vector;
}
