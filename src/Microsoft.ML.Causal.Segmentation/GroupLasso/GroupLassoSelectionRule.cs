namespace Microsoft.ML.Causal.Segmentation.GroupLasso;

/// <summary>How cross-validation picks (α, λ) from the held-out deviance curve.</summary>
public enum GroupLassoSelectionRule
{
    /// <summary>The (α, λ) with the smallest mean held-out deviance.</summary>
    Minimum,

    /// <summary>At the α of the minimum, the largest λ whose mean deviance is within one standard error of the minimum (a sparser, more fused model).</summary>
    OneStandardError,
}
