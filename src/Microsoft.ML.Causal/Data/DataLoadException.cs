namespace Microsoft.ML.Causal.Data;

/// <summary>
/// The one exception the text loader raises for a file it cannot read: no header, a row with the wrong number
/// of fields, a value that does not parse as its column's type, malformed quoting. The message names the file,
/// the line, the column and the fix.
/// </summary>
public sealed class DataLoadException : FormatException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="source">The file path, or a description of the stream.</param>
    /// <param name="line">The 1-based line number at fault, when one is.</param>
    /// <param name="columnName">The column at fault, when one is.</param>
    /// <param name="message">What is wrong and how to fix it.</param>
    /// <param name="inner">The parser error that revealed it, if any.</param>
    public DataLoadException(string source, long? line, string? columnName, string message, Exception? inner = null)
        : base(Format(source, line, columnName, message), inner)
    {
        SourceName = source;
        Line = line;
        ColumnName = columnName;
    }

    /// <summary>The file path, or a description of the stream.</summary>
    public string SourceName { get; }

    /// <summary>The 1-based line number at fault, when one is.</summary>
    public long? Line { get; }

    /// <summary>The column at fault, when one is.</summary>
    public string? ColumnName { get; }

    private static string Format(string source, long? line, string? column, string message)
    {
        var where = source;
        if (line is { } l)
            where += $", line {l}";
        if (column is not null)
            where += $", column '{column}'";
        return $"{where}: {message}";
    }
}
