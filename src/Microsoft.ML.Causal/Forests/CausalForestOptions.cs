using Microsoft.ML.Causal.Trainers;

namespace Microsoft.ML.Causal.Forests;

/// <summary>
/// Options of <see cref="CausalForest"/>, with grf's <c>causal_forest</c> defaults (its names in brackets). The
/// inherited learners are used only when given: <see cref="CateOptions.OutcomeLearner"/> replaces the m̂ forest
/// and <see cref="CateOptions.PropensityLearner"/> the ê forest, both then cross-fitted over
/// <see cref="CateOptions.Folds"/> folds. Known propensities (a propensity column, or
/// <see cref="PropensityOptions.Constant"/>) are used as Ŵ as given. <see cref="CateOptions.BootstrapReplicates"/>
/// matters only with <see cref="ForestOptions.CiGroupSize"/> = 1, which has no little-bags variance.
/// </summary>
public sealed record CausalForestOptions : CateOptions
{
    /// <summary>The forest engine's options (trees 2000, sample fraction 0.5, mtry min(⌈√p + 20⌉, p), min node size 5, honesty 0.5, alpha 0.05, imbalance 0, group size 2).</summary>
    public ForestOptions Forest { get; init; } = new();

    /// <summary>Use the stabilized causal split rule [stabilize.splits]. Default true; false splits by plain CART on the causal pseudo-outcomes.</summary>
    public bool StabilizeSplits { get; init; } = true;

    /// <summary>Trees of each nuisance forest (m̂ and ê, group size 1, out-of-bag) [max(50, num.trees/4)]; null means that default.</summary>
    public int? NuisanceTrees { get; init; }

    /// <summary>Ŷ = m̂(x) for every row of the features [Y.hat]; empty (default) estimates it.</summary>
    public ReadOnlyMemory<double> OutcomeEstimates { get; init; }

    /// <summary>Ŵ = E[W | x] for every row of the features [W.hat]; empty (default) estimates it.</summary>
    public ReadOnlyMemory<double> TreatmentEstimates { get; init; }
}
