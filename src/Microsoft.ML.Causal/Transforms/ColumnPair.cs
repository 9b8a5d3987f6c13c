namespace Microsoft.ML.Causal.Transforms;

/// <summary>An output column computed from an input column.</summary>
/// <param name="OutputColumnName">The column to create (an existing column of that name is replaced).</param>
/// <param name="InputColumnName">The column to read; null means the same as the output (replace in place).</param>
public sealed record ColumnPair(string OutputColumnName, string? InputColumnName = null)
{
    /// <summary>The column to read.</summary>
    public string Input => InputColumnName ?? OutputColumnName;
}
