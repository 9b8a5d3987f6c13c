namespace Microsoft.ML.Causal.Data;

/// <summary>Options of the text (CSV) loader. Numbers always use the invariant culture: <c>.</c> is the decimal point, whatever the OS culture.</summary>
public sealed record CsvLoadOptions
{
    /// <summary>Whether the first record names the columns (default true). Without a header, columns are named <c>Column0</c>, <c>Column1</c>, ….</summary>
    public bool HasHeader { get; init; } = true;

    /// <summary>The field separator (default <c>,</c>).</summary>
    public char Separator { get; init; } = ',';

    /// <summary>Whether fields may be quoted with <c>"</c> (RFC 4180: separators and newlines inside quotes, <c>""</c> for a quote). Default true.</summary>
    public bool AllowQuoting { get; init; } = true;

    /// <summary>
    /// Types for some or all columns, by name (or <c>ColumnN</c> without a header). A Key type with no value
    /// names learns them from the data (sorted ordinally); with value names, any other value is an error.
    /// Columns not listed are inferred.
    /// </summary>
    public IReadOnlyDictionary<string, ColumnType> ColumnTypes { get; init; } = new Dictionary<string, ColumnType>();

    /// <summary>
    /// How many data rows type inference looks at (default 10 000). A column is Double when every non-empty
    /// value parses as a number, Boolean when every value is <c>true</c>/<c>false</c> and none is empty, else Text.
    /// If a later value contradicts the inferred type, the input is read again with that column as Text, so a
    /// value is never dropped or turned into a missing one.
    /// </summary>
    public int InferenceRowCount { get; init; } = 10_000;
}
