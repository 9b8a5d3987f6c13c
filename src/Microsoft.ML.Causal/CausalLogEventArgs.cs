namespace Microsoft.ML.Causal;

/// <summary>The kind of a log message.</summary>
public enum CausalLogKind
{
    /// <summary>Progress and diagnostics.</summary>
    Info,
    /// <summary>Something the user should look at (poor overlap, clipped propensities, …); the result is still valid.</summary>
    Warning,
}

/// <summary>A message logged by a component.</summary>
/// <param name="Kind">Info or warning.</param>
/// <param name="Source">The component that logged it.</param>
/// <param name="Message">The text.</param>
public sealed class CausalLogEventArgs(CausalLogKind Kind, string Source, string Message) : EventArgs
{
    /// <summary>Info or warning.</summary>
    public CausalLogKind Kind { get; } = Kind;

    /// <summary>The component that logged it.</summary>
    public string Source { get; } = Source;

    /// <summary>The text.</summary>
    public string Message { get; } = Message;

    /// <inheritdoc />
    public override string ToString() => $"[{Kind}] {Source}: {Message}";
}
