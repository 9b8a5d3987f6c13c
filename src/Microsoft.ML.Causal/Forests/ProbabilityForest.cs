using Microsoft.ML.Causal.Learners;

namespace Microsoft.ML.Causal.Forests;

/// <summary>
/// A probability forest for a binary label: a <see cref="RegressionForest"/> on the 0/1 label, whose
/// forest-weighted mean is the share of ones among the neighbours of x, so it lies in [0, 1]. (grf's
/// probability forest splits on the Gini criterion over classes; for two classes that is, up to a constant,
/// the same squared-error criterion on the 0/1 label.) Used for the propensity ê(x) = P(W = 1 | x).
/// </summary>
public sealed class ProbabilityForest : IClassificationLearner
{
    /// <summary>Creates the learner; the options are checked when it fits.</summary>
    public ProbabilityForest(ForestOptions? options = null) => Options = options ?? new ForestOptions();

    /// <summary>The options.</summary>
    public ForestOptions Options { get; }

    /// <inheritdoc />
    public IProbabilityModel Fit(TrainingSet data, FitContext? context = null) => FitModel(data, default, context);

    /// <summary>Fits on labels 0/1, sampling whole clusters when <paramref name="clusters"/> is given.</summary>
    /// <exception cref="DataValidationException">A label is not 0 or 1, only one class occurs, a weight is invalid, or there are too few rows.</exception>
    public ProbabilityForestModel FitModel(TrainingSet data, ReadOnlyMemory<int> clusters = default, FitContext? context = null)
    {
        TrainingSetChecks.CheckBinary(data, nameof(ProbabilityForest), 1);
        return new ProbabilityForestModel(new RegressionForest(Options).FitModel(data, clusters, context));
    }
}
