namespace Microsoft.ML.Causal.Forests.Relabeling;

/// <summary>
/// Turns a node's rows into the pseudo-outcomes its split is chosen on (grf's relabeling strategy). The
/// splitting rule then looks for the split that best separates them.
/// </summary>
internal interface IRelabelingStrategy
{
    /// <summary>Pseudo-outcomes per row (1 for scalar forests, one per effect for several arms).</summary>
    int ResponseCount { get; }

    /// <summary>Writes <see cref="NodeSamples.Responses"/> for every position; false when the node must not be split (e.g. no treatment variation).</summary>
    bool Relabel(NodeSamples node);
}
