namespace Microsoft.ML.Causal.Learners.GradientBoosting;

/// <summary>
/// Options of gradient-boosted trees. Defaults follow LightGBM's (in brackets: LightGBM's parameter name):
/// 100 trees [num_iterations], learning rate 0.1 [learning_rate], 31 leaves [num_leaves], no depth limit
/// [max_depth = −1], 20 rows per leaf [min_data_in_leaf], 1e-3 hessian per leaf [min_sum_hessian_in_leaf],
/// L2 0 [lambda_l2], no row or feature subsampling [bagging_fraction, feature_fraction, feature_fraction_bynode],
/// 255 bins [max_bin].
/// </summary>
public sealed record GradientBoostingOptions
{
    /// <summary>Number of boosting rounds (trees). Default 100.</summary>
    public int NumberOfTrees { get; init; } = 100;

    /// <summary>Shrinkage of each tree's leaf values, in (0, 1]. Default 0.1.</summary>
    public double LearningRate { get; init; } = 0.1;

    /// <summary>Leaves per tree at most (leaf-wise growth). Default 31.</summary>
    public int NumberOfLeaves { get; init; } = 31;

    /// <summary>Depth at most; 0 means no limit. Default 0.</summary>
    public int MaxDepth { get; init; }

    /// <summary>Rows per leaf at least. Default 20.</summary>
    public int MinRowsInLeaf { get; init; } = 20;

    /// <summary>Sum of hessians per leaf at least. Default 1e-3.</summary>
    public double MinHessianInLeaf { get; init; } = 1e-3;

    /// <summary>L2 penalty λ on leaf values. Default 0.</summary>
    public double L2Regularization { get; init; }

    /// <summary>A split must reduce the loss by more than this. Default 0.</summary>
    public double MinSplitGain { get; init; }

    /// <summary>Share of rows each tree is grown on (drawn without replacement, afresh per tree). Default 1.</summary>
    public double RowSubsampleFraction { get; init; } = 1;

    /// <summary>Share of features each tree may use (drawn per tree). Default 1.</summary>
    public double FeatureFractionPerTree { get; init; } = 1;

    /// <summary>Share of a tree's features each node may split on (drawn per node). Default 1.</summary>
    public double FeatureFractionPerNode { get; init; } = 1;

    /// <summary>Value bins per feature (2 … 255), plus one bin for missing values. Default 255.</summary>
    public int MaxBins { get; init; } = 255;

    /// <summary>
    /// Stop when the loss on held-out rows has not improved for this many rounds, and keep the trees up to the
    /// best round; 0 (default) disables early stopping. The rows watched are a validation set passed to
    /// <c>FitModel(train, validation)</c>, or else a <see cref="ValidationFraction"/> of the training rows.
    /// </summary>
    public int EarlyStoppingRounds { get; init; }

    /// <summary>
    /// With early stopping, keep this many times the best round's trees (growing on until then or until
    /// <see cref="NumberOfTrees"/>): 1 (default) keeps the loss-optimal count; above 1 under-smooths on purpose. A
    /// propensity fitted to minimize log loss stays shrunk towards the mean where the true probability is near 0 or
    /// 1, which is exactly where an inverse-propensity weight is large; the CATE defaults use 1.5 for the propensity
    /// (<c>CateDefaults.Propensity</c>; measured in the benchmark RESULTS.md, "AIPW ATE coverage fixed").
    /// </summary>
    public double EarlyStoppingTreeFactor { get; init; } = 1;

    /// <summary>Share of the rows held out (seeded) to watch for early stopping; 0 (default) holds out none.</summary>
    public double ValidationFraction { get; init; }

    /// <summary>The seed of subsampling and the validation split; null takes the fit context's seed.</summary>
    public int? Seed { get; init; }

    internal void Validate(string learner, bool hasValidationSet = false)
    {
        static void Check(bool ok, string learner, string what)
        {
            if (!ok)
                throw new ArgumentOutOfRangeException(nameof(GradientBoostingOptions), $"{learner}: {what}");
        }
        Check(NumberOfTrees >= 1, learner, $"NumberOfTrees is {NumberOfTrees}; it must be at least 1.");
        Check(LearningRate > 0 && LearningRate <= 1, learner, $"LearningRate is {LearningRate}; it must be in (0, 1].");
        Check(NumberOfLeaves >= 2, learner, $"NumberOfLeaves is {NumberOfLeaves}; it must be at least 2.");
        Check(MaxDepth >= 0, learner, $"MaxDepth is {MaxDepth}; use 0 for no limit.");
        Check(MinRowsInLeaf >= 1, learner, $"MinRowsInLeaf is {MinRowsInLeaf}; it must be at least 1.");
        Check(MinHessianInLeaf >= 0 && double.IsFinite(MinHessianInLeaf), learner, $"MinHessianInLeaf is {MinHessianInLeaf}; it must be finite and ≥ 0.");
        Check(L2Regularization >= 0 && double.IsFinite(L2Regularization), learner, $"L2Regularization is {L2Regularization}; it must be finite and ≥ 0.");
        Check(MinSplitGain >= 0 && double.IsFinite(MinSplitGain), learner, $"MinSplitGain is {MinSplitGain}; it must be finite and ≥ 0.");
        Check(RowSubsampleFraction > 0 && RowSubsampleFraction <= 1, learner, $"RowSubsampleFraction is {RowSubsampleFraction}; it must be in (0, 1].");
        Check(FeatureFractionPerTree > 0 && FeatureFractionPerTree <= 1, learner, $"FeatureFractionPerTree is {FeatureFractionPerTree}; it must be in (0, 1].");
        Check(FeatureFractionPerNode > 0 && FeatureFractionPerNode <= 1, learner, $"FeatureFractionPerNode is {FeatureFractionPerNode}; it must be in (0, 1].");
        Check(MaxBins is >= 2 and <= 255, learner, $"MaxBins is {MaxBins}; it must be between 2 and 255.");
        Check(EarlyStoppingRounds >= 0, learner, $"EarlyStoppingRounds is {EarlyStoppingRounds}; it must be ≥ 0.");
        Check(EarlyStoppingTreeFactor >= 1 && double.IsFinite(EarlyStoppingTreeFactor), learner, $"EarlyStoppingTreeFactor is {EarlyStoppingTreeFactor}; it must be finite and ≥ 1.");
        Check(ValidationFraction >= 0 && ValidationFraction < 1, learner, $"ValidationFraction is {ValidationFraction}; it must be in [0, 1).");
        Check(EarlyStoppingRounds == 0 || ValidationFraction > 0 || hasValidationSet, learner, "EarlyStoppingRounds needs a validation set or a ValidationFraction above 0 to hold rows out.");
        Check(!hasValidationSet || ValidationFraction == 0, learner, "Pass either a validation set or a ValidationFraction, not both.");
    }
}
