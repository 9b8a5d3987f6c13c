using Microsoft.ML.Causal.Learners;

namespace Microsoft.ML.Causal.Trainers;

/// <summary>
/// Options every CATE estimator shares. Learners left null are the <see cref="CateDefaults"/>: early-stopped gradient
/// boosting (nuisances up to 500 trees, 31 leaves, learning rate 0.05; second stages up to 300 trees of 7 leaves);
/// any learner from the catalogs fits.
/// </summary>
public abstract record CateOptions
{
    /// <summary>Learner of outcome models (μ̂ₐ, m̂); default gradient boosting.</summary>
    public IRegressionLearner? OutcomeLearner { get; init; }

    /// <summary>Learner of propensity models (ê); default gradient boosting (log loss).</summary>
    public IClassificationLearner? PropensityLearner { get; init; }

    /// <summary>Cross-fitting folds K (default 5, stratified by arm); nuisances that feed a second stage are predicted out of fold.</summary>
    public int Folds { get; init; } = 5;

    /// <summary>Propensities: learned or known, and their clipping bounds.</summary>
    public PropensityOptions Propensity { get; init; } = new();

    /// <summary>
    /// Bootstrap replicates behind the intervals of methods without analytic ones (default 100, as EconML's
    /// <c>BootstrapInference</c>): each replicate refits the whole estimator, nuisances included, on a resample
    /// of the rows drawn within each arm. 0 fits no replicates; the model then has no intervals.
    /// </summary>
    public int BootstrapReplicates { get; init; } = 100;

    /// <summary>Seed of folds, resamples and learners (default: the fit context's seed).</summary>
    public int? Seed { get; init; }
}
