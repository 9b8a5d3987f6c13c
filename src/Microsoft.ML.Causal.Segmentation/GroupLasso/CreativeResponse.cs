namespace Microsoft.ML.Causal.Segmentation.GroupLasso;

/// <summary>
/// A creative's fitted response model βⱼₖ = γⱼ + δⱼₖ on the original feature scale:
/// P(response | x) = σ(<c>Intercept + Coefficientsᵀx</c>).
/// </summary>
/// <param name="Index">The creative's (global) index.</param>
/// <param name="Name">The creative's name.</param>
/// <param name="Segment">The segment it was designed for.</param>
/// <param name="Intercept">βⱼₖ's intercept.</param>
/// <param name="Coefficients">βⱼₖ's slopes, one per feature.</param>
/// <param name="Fused">Whether δⱼₖ = 0 exactly: the creative responds as its segment's centre (it fits its segment).</param>
/// <param name="Deviation">‖δⱼₖ‖₂ on the standardized scale the penalty acts on (intercept offset and slopes together); 0 when fused.</param>
public sealed record CreativeResponse(int Index, string Name, int Segment, double Intercept, IReadOnlyList<double> Coefficients, bool Fused, double Deviation);
