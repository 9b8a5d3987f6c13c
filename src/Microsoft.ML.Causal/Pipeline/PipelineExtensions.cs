namespace Microsoft.ML.Causal;

/// <summary>The <c>Append</c> idiom on single estimators and transformers.</summary>
public static class PipelineExtensions
{
    /// <summary>A two-step chain: <paramref name="start"/> then <paramref name="next"/>.</summary>
    public static CausalEstimatorChain<TNew> Append<TNew>(this ICausalEstimator<ICausalTransformer> start, ICausalEstimator<TNew> next)
        where TNew : class, ICausalTransformer
    {
        ArgumentNullException.ThrowIfNull(start);
        return new CausalEstimatorChain<ICausalTransformer>().Append(start).Append(next);
    }

    /// <summary>A two-step transformer chain: <paramref name="start"/> then <paramref name="next"/>.</summary>
    public static CausalTransformerChain<TNew> Append<TNew>(this ICausalTransformer start, TNew next)
        where TNew : class, ICausalTransformer
    {
        ArgumentNullException.ThrowIfNull(start);
        return new CausalTransformerChain<ICausalTransformer>([start]).Append(next);
    }
}
