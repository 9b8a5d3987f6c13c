namespace Microsoft.ML.Causal.Trainers;

/// <summary>
/// How well the arms overlap, from the propensities used in a fit: the smallest and largest estimated
/// probability of any arm (before clipping) and the share of rows with at least one clipped propensity.
/// Propensities near 0 or 1 make inverse-propensity weights explode; clipping bounds them at the cost of bias.
/// </summary>
/// <param name="MinPropensity">Smallest propensity of any arm, before clipping.</param>
/// <param name="MaxPropensity">Largest propensity of any arm, before clipping.</param>
/// <param name="ShareClipped">Share of rows with a propensity outside the clipping bounds.</param>
/// <param name="ClipLower">The lower clipping bound.</param>
/// <param name="ClipUpper">The upper clipping bound.</param>
/// <param name="Known">Whether the propensities were given rather than learned.</param>
public sealed record OverlapDiagnostics(double MinPropensity, double MaxPropensity, double ShareClipped, double ClipLower, double ClipUpper, bool Known)
{
    /// <summary>A one-line summary for logs.</summary>
    public override string ToString() =>
        FormattableString.Invariant($"propensities {(Known ? "known" : "estimated")} in [{MinPropensity:G4}, {MaxPropensity:G4}]; {ShareClipped:P2} of rows clipped to [{ClipLower}, {ClipUpper}]");
}
