namespace Microsoft.ML.Causal.Cli.Commands;

/// <summary>The groups of common data flags (docs/cli.md) a command declares through <see cref="DataOptions"/>.</summary>
[Flags]
internal enum DataFlags
{
    /// <summary><c>--data</c>, <c>--seed</c>, <c>--threads</c> (always declared).</summary>
    File = 1,

    /// <summary><c>--features</c> and <c>--categorical</c>.</summary>
    Features = 2,

    /// <summary><c>--weight</c>.</summary>
    Weight = 4,

    /// <summary><c>--outcome</c>, <c>--treatment</c>, <c>--cluster</c> and <c>--control</c> of a treatment-effect analysis.</summary>
    Effect = 8,

    /// <summary>Every common data flag.</summary>
    All = File | Features | Weight | Effect,
}
