namespace Microsoft.ML.Causal.Segmentation.GroupLasso;

/// <summary>
/// The result of K-fold cross-validation over an (α, λ) grid: the curve of held-out deviance, the (α, λ) picked
/// by the minimum and the one-standard-error rules, and the path and model on all rows at the (α, λ) the
/// options' rule selected.
/// </summary>
public sealed class GroupLassoCrossValidation
{
    internal GroupLassoCrossValidation(GroupLassoCvPoint[] curve, GroupLassoCvPoint minimum, GroupLassoCvPoint oneStandardError,
        GroupLassoSelectionRule rule, GroupLassoPath path, int folds)
    {
        Curve = curve;
        Minimum = minimum;
        OneStandardError = oneStandardError;
        Rule = rule;
        Selected = rule == GroupLassoSelectionRule.Minimum ? minimum : oneStandardError;
        Path = path;
        Model = path.Models[Selected.LambdaIndex];
        Folds = folds;
    }

    /// <summary>Every (α, λ) tried, α in the order given and λ decreasing within an α.</summary>
    public IReadOnlyList<GroupLassoCvPoint> Curve { get; }

    /// <summary>The point with the smallest mean held-out deviance (the larger λ, then the earlier α, on ties).</summary>
    public GroupLassoCvPoint Minimum { get; }

    /// <summary>At the minimum's α, the largest λ whose mean deviance is within one standard error of the minimum.</summary>
    public GroupLassoCvPoint OneStandardError { get; }

    /// <summary>The rule that picked <see cref="Selected"/>.</summary>
    public GroupLassoSelectionRule Rule { get; }

    /// <summary>The selected point.</summary>
    public GroupLassoCvPoint Selected { get; }

    /// <summary>The path at the selected α on all rows.</summary>
    public GroupLassoPath Path { get; }

    /// <summary>The model at the selected (α, λ), fitted on all rows.</summary>
    public GroupLassoModel Model { get; }

    /// <summary>K, the number of folds.</summary>
    public int Folds { get; }
}
