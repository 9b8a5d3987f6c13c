namespace Microsoft.ML.Causal.Segmentation;

/// <summary>
/// Decisions from causal estimates: <c>ctx.Segmentation</c>. Coarse personalization and group-lasso segment
/// discovery register their estimators here as extension methods.
/// </summary>
public sealed class SegmentationCatalog
{
    internal SegmentationCatalog(CausalContext context) => Context = context;

    /// <summary>The context this catalog belongs to (its seed drives every randomized segmentation step).</summary>
    public CausalContext Context { get; }
}

/// <summary>Adds <c>ctx.Segmentation</c> to <see cref="CausalContext"/>.</summary>
public static class SegmentationContextExtensions
{
    extension(CausalContext context)
    {
        /// <summary>The segmentation catalog of this context.</summary>
        public SegmentationCatalog Segmentation => new(context);
    }
}
