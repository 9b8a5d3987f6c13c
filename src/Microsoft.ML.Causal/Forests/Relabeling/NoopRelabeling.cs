namespace Microsoft.ML.Causal.Forests.Relabeling;

/// <summary>The regression forest's relabeling: the pseudo-outcome is the outcome itself.</summary>
internal sealed class NoopRelabeling : IRelabelingStrategy
{
    public static NoopRelabeling Instance { get; } = new();

    public int ResponseCount => 1;

    public bool Relabel(NodeSamples node)
    {
        node.Outcome.AsSpan(0, node.Count).CopyTo(node.Responses);
        return true;
    }
}
