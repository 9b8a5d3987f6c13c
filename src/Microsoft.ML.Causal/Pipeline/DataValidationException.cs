namespace Microsoft.ML.Causal;

/// <summary>
/// The values in the data cannot be used: no rows, a NaN or infinity where a component does not allow it,
/// an unseen category where the options ask for an error, and the like. The message names the component,
/// the column, the row (0-based, when one row is at fault), the problem and the fix.
/// </summary>
public sealed class DataValidationException : ArgumentException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="component">The estimator or transformer that checked the data.</param>
    /// <param name="columnName">The column at fault.</param>
    /// <param name="row">The 0-based row at fault, or null when the problem is not one row's.</param>
    /// <param name="problem">What is wrong.</param>
    /// <param name="fix">How to fix it.</param>
    public DataValidationException(string component, string columnName, int? row, string problem, string fix)
        : base(row is { } r
            ? $"{component}: column '{columnName}', row {r}: {problem} {fix}"
            : $"{component}: column '{columnName}': {problem} {fix}")
    {
        Component = component;
        ColumnName = columnName;
        Row = row;
    }

    /// <summary>The component that rejected the data.</summary>
    public string Component { get; }

    /// <summary>The column at fault.</summary>
    public string ColumnName { get; }

    /// <summary>The 0-based row at fault, when one row is.</summary>
    public int? Row { get; }

    /// <summary>The error for fitting on a table without rows.</summary>
    public static DataValidationException Empty(string component, string columnName) =>
        new(component, columnName, null, "the data have no rows, so there is nothing to fit on.", "Pass a data view with at least one row.");

    /// <summary>The error for a NaN or infinite value where the component needs finite numbers.</summary>
    public static DataValidationException NotFinite(string component, string columnName, int row, double value, string fix) =>
        new(component, columnName, row, $"the value is {Describe(value)}; this component needs finite numbers.", fix);

    private static string Describe(double value) =>
        double.IsNaN(value) ? "missing (NaN)" : double.IsPositiveInfinity(value) ? "+infinity" : double.IsNegativeInfinity(value) ? "-infinity" : value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
}
