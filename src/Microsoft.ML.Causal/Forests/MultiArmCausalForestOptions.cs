using Microsoft.ML.Causal.Trainers;

namespace Microsoft.ML.Causal.Forests;

/// <summary>
/// Options of <see cref="MultiArmCausalForest"/>, with grf's <c>multi_arm_causal_forest</c> defaults (its names in
/// brackets). As for <see cref="CausalForestOptions"/>, the inherited learners are used only when given:
/// <see cref="CateOptions.OutcomeLearner"/> replaces the m̂ forest and <see cref="CateOptions.PropensityLearner"/>
/// the per-arm ê forests, both then cross-fitted over <see cref="CateOptions.Folds"/> folds. Known propensities
/// (<see cref="PropensityOptions.ArmShares"/>; for two arms also a propensity column or
/// <see cref="PropensityOptions.Constant"/>) are used as Ŵ as given.
/// </summary>
public sealed record MultiArmCausalForestOptions : CateOptions
{
    /// <summary>The forest engine's options (trees 2000, sample fraction 0.5, mtry min(⌈√p + 20⌉, p), min node size 5, honesty 0.5, alpha 0.05, imbalance 0, group size 2).</summary>
    public ForestOptions Forest { get; init; } = new();

    /// <summary>
    /// Use the stabilized causal split rule [stabilize.splits]: every child needs min.node.size rows inside and
    /// outside each non-control arm, and alpha of the parent's variation of every centered arm indicator. Default
    /// true; false splits by plain (multi-response) CART on the pseudo-outcomes.
    /// </summary>
    public bool StabilizeSplits { get; init; } = true;

    /// <summary>Trees of each nuisance forest (m̂, and one ê forest per non-control arm; group size 1, out-of-bag) [max(50, num.trees/4)]; null means that default.</summary>
    public int? NuisanceTrees { get; init; }

    /// <summary>Ŷ = m̂(x) for every row of the features [Y.hat]; empty (default) estimates it.</summary>
    public ReadOnlyMemory<double> OutcomeEstimates { get; init; }

    /// <summary>
    /// Ŵ = P(arm | x) for every row of the features and every non-control arm, row-major (row r's K values at
    /// r·K … r·K + K − 1, arms in the order of the model's effect names) [W.hat without the control column]; empty
    /// (default) estimates them.
    /// </summary>
    public ReadOnlyMemory<double> TreatmentEstimates { get; init; }
}
