using Microsoft.ML.Causal.Learners;
using Microsoft.ML.Causal.Trainers;

namespace Microsoft.ML.Causal.Evaluation;

/// <summary>
/// How <see cref="DoublyRobustScores.CrossFit"/> fits the nuisances of the evaluation rows: K-fold cross-fitted
/// outcome models μ̂ₐ(x) per arm and propensities êₐ(x) (learned, or known from the design), as the CATE
/// estimators do. Learners left null are the <see cref="CateDefaults"/> (early-stopped gradient boosting).
/// </summary>
public sealed record PolicyEvaluationOptions
{
    /// <summary>Learner of the outcome models μ̂ₐ; default <see cref="CateDefaults.OutcomeLearner"/>.</summary>
    public IRegressionLearner? OutcomeLearner { get; init; }

    /// <summary>Learner of the propensities ê (unused when they are known); default <see cref="CateDefaults.PropensityLearner"/>.</summary>
    public IClassificationLearner? PropensityLearner { get; init; }

    /// <summary>Cross-fitting folds K (default 5, stratified by arm); every score uses nuisances fitted without its row.</summary>
    public int Folds { get; init; } = 5;

    /// <summary>Propensities: learned or known (e.g. <c>Constant = 0.5</c> in a balanced experiment), and their clipping bounds.</summary>
    public PropensityOptions Propensity { get; init; } = new();

    /// <summary>Seed of the folds and learners (default: the fit context's seed, or the catalog's next component seed).</summary>
    public int? Seed { get; init; }
}
