using Microsoft.ML.Causal.Learners.Trees;

namespace Microsoft.ML.Causal.Forests.Splitting;

/// <summary>
/// Chooses a node's split from its pseudo-outcomes (grf's splitting rule). An instance holds scratch buffers,
/// so each tree trainer has its own.
/// </summary>
internal interface ISplittingRule
{
    /// <summary>The best split of the node over <paramref name="features"/>, or null when no allowed split gains.</summary>
    /// <param name="data">The binned features.</param>
    /// <param name="rows">The node's rows, in the position order of <paramref name="node"/>.</param>
    /// <param name="node">The node's gathered values and pseudo-outcomes.</param>
    /// <param name="features">The features drawn for this node, in draw order (ties keep the first).</param>
    Split? FindBestSplit(BinnedMatrix data, ReadOnlySpan<int> rows, NodeSamples node, ReadOnlySpan<int> features);
}
