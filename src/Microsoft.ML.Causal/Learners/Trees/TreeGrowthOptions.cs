namespace Microsoft.ML.Causal.Learners.Trees;

/// <summary>How the histogram tree builder grows one tree.</summary>
internal sealed record TreeGrowthOptions
{
    /// <summary>Leaves at most (leaf-wise growth: the leaf with the largest gain is split next).</summary>
    public int MaxLeaves { get; init; } = 31;

    /// <summary>Depth at most; 0 = no limit.</summary>
    public int MaxDepth { get; init; }

    /// <summary>Rows in a leaf at least (unweighted count).</summary>
    public int MinRowsInLeaf { get; init; } = 20;

    /// <summary>Sum of hessians in a leaf at least.</summary>
    public double MinHessianInLeaf { get; init; } = 1e-3;

    /// <summary>λ: L2 penalty on leaf values (leaf value = −G / (H + λ)).</summary>
    public double L2 { get; init; }

    /// <summary>A split must reduce the loss by more than this.</summary>
    public double MinSplitGain { get; init; }

    /// <summary>Share of the tree's features each node may split on (drawn afresh per node).</summary>
    public double FeatureFractionPerNode { get; init; } = 1;
}
