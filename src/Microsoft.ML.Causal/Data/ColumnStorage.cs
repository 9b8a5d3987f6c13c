namespace Microsoft.ML.Causal.Data;

/// <summary>How each <see cref="ColumnKind"/> is stored in memory.</summary>
public static class ColumnStorage
{
    /// <summary>The CLR type of one stored value of a column of this kind.</summary>
    public static Type ElementType(ColumnKind kind) => kind switch
    {
        ColumnKind.Double or ColumnKind.Vector => typeof(double),
        ColumnKind.Single => typeof(float),
        ColumnKind.Int32 or ColumnKind.Key => typeof(int),
        ColumnKind.Boolean => typeof(bool),
        ColumnKind.Text => typeof(string),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown column kind."),
    };

    /// <summary>The code a key column stores for a missing value.</summary>
    public const int MissingKey = -1;
}
