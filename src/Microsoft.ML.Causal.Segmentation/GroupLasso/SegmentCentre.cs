namespace Microsoft.ML.Causal.Segmentation.GroupLasso;

/// <summary>
/// A segment's centre γⱼ on the original feature scale: its log-odds response model
/// <c>Intercept + Coefficientsᵀx</c>, which is also the person's score for the segment.
/// </summary>
/// <param name="Index">The segment's index.</param>
/// <param name="Name">The segment's name.</param>
/// <param name="Intercept">The centre's intercept (the unpenalized segment offset, moved to the original scale).</param>
/// <param name="Coefficients">The centre's slopes, one per feature (0 where the ℓ1 penalty removed the feature).</param>
/// <param name="Creatives">The segment's creatives (global indices).</param>
/// <param name="Support">The number of non-zero slopes.</param>
public sealed record SegmentCentre(int Index, string Name, double Intercept, IReadOnlyList<double> Coefficients, IReadOnlyList<int> Creatives, int Support);
