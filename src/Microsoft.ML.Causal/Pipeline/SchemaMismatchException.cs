namespace Microsoft.ML.Causal;

/// <summary>
/// A column a component needs is missing or has the wrong type. Raised by <c>GetOutputSchema</c> before any
/// training, and by <c>Fit</c>/<c>Transform</c> when the data do not match.
/// </summary>
public sealed class SchemaMismatchException : ArgumentException
{
    /// <summary>Creates the exception; the message names the component, column, expected and actual type, and the fix.</summary>
    /// <param name="component">The estimator or transformer that checked the schema.</param>
    /// <param name="columnName">The column at fault.</param>
    /// <param name="expected">What the component needs (e.g. "Vector&lt;Double&gt;").</param>
    /// <param name="actual">What it found (a type name, or "missing").</param>
    /// <param name="fix">How to fix it; a default hint is used when null.</param>
    public SchemaMismatchException(string component, string columnName, string expected, string actual, string? fix = null)
        : base(Format(component, columnName, expected, actual, fix))
    {
        Component = component;
        ColumnName = columnName;
        Expected = expected;
        Actual = actual;
    }

    private SchemaMismatchException(string message, SchemaMismatchException inner, string component)
        : base(message, inner)
    {
        Component = component;
        ColumnName = inner.ColumnName;
        Expected = inner.Expected;
        Actual = inner.Actual;
    }

    /// <summary>The component that found the mismatch (for a chain: "step N (Name)").</summary>
    public string Component { get; }

    /// <summary>The column at fault.</summary>
    public string ColumnName { get; }

    /// <summary>What was expected.</summary>
    public string Expected { get; }

    /// <summary>What was found ("missing" when the column is absent).</summary>
    public string Actual { get; }

    /// <summary>The same mismatch, located at a step of a chain.</summary>
    public SchemaMismatchException AtStep(int step, string stepName)
    {
        var where = $"step {step} ({stepName})";
        return new SchemaMismatchException($"Pipeline {where}: {Message}", this, where);
    }

    /// <summary>Raised when a required column is absent.</summary>
    public static SchemaMismatchException Missing(string component, string columnName, string expected, Data.DataSchema schema) =>
        new(component, columnName, expected, "missing",
            $"Add a column named '{columnName}' or pass the name of an existing one. Columns present: {schema.DescribeNames()}.");

    private static string Format(string component, string column, string expected, string actual, string? fix)
    {
        var what = actual == "missing"
            ? $"{component}: column '{column}' is missing; expected {expected}."
            : $"{component}: column '{column}' has type {actual}; expected {expected}.";
        return fix is null ? what : $"{what} {fix}";
    }
}
