using Microsoft.ML.Causal.Forests;
using Microsoft.ML.Causal.Learners;
using Microsoft.ML.Causal.Learners.GradientBoosting;
using Microsoft.ML.Causal.Learners.Linear;
using Microsoft.ML.Causal.Learners.RandomForest;
using Microsoft.ML.Causal.Trainers;

namespace Microsoft.ML.Causal.Cli.Commands;

/// <summary>
/// The CATE estimators behind <c>causal fit --method M --learner L</c>. Learners: <c>gbdt</c> — the
/// <see cref="CateDefaults"/> (early-stopped boosting; <c>--trees</c> caps the nuisance models' trees);
/// <c>forest</c> — honest regression and probability forests (<c>--trees</c> trees, default 500; second stages
/// with ≥ 20 rows per leaf); <c>linear</c> — ridge with a tiny penalty (λ = 1e-4, so one-hot columns of every
/// category stay estimable) and L2 logistic regression.
/// </summary>
internal static class CateMethods
{
    public static readonly string[] Methods = ["s", "t", "x", "r", "dr", "linear-dml", "sparse-linear-dml", "causal-forest"];

    public static readonly string[] Learners = ["gbdt", "forest", "linear"];

    public static ICateLearner Create(string method, string learner, int? trees, int folds, int bootstrap)
    {
        if (method == "causal-forest")
        {
            // grf's defaults; --trees sets the number of trees (default 2000). The forest's own OOB nuisance forests
            // center the data, so --learner and --folds do not apply; intervals come from the little bags. With more
            // than two arms the fit uses the multi-arm causal forest (ForArms).
            return new CausalForest(new CausalForestOptions { Forest = new ForestOptions { NumberOfTrees = trees ?? 2000 } });
        }
        var (outcome, propensity, final) = LearnersFor(learner, trees);
        return method switch
        {
            "s" => new SLearner(new MetaLearnerOptions { OutcomeLearner = outcome, PropensityLearner = propensity, Folds = folds, BootstrapReplicates = bootstrap }),
            "t" => new TLearner(new MetaLearnerOptions { OutcomeLearner = outcome, PropensityLearner = propensity, Folds = folds, BootstrapReplicates = bootstrap }),
            "x" => new XLearner(new FinalStageOptions { OutcomeLearner = outcome, PropensityLearner = propensity, FinalLearner = final, Folds = folds, BootstrapReplicates = bootstrap }),
            "r" => new RLearner(new FinalStageOptions { OutcomeLearner = outcome, PropensityLearner = propensity, FinalLearner = final, Folds = folds, BootstrapReplicates = bootstrap }),
            "dr" => new DRLearner(new FinalStageOptions { OutcomeLearner = outcome, PropensityLearner = propensity, FinalLearner = final, Folds = folds, BootstrapReplicates = bootstrap }),
            "linear-dml" => new LinearDml(new DmlOptions { OutcomeLearner = outcome, PropensityLearner = propensity, Folds = folds }),
            "sparse-linear-dml" => new SparseLinearDml(new DmlOptions { OutcomeLearner = outcome, PropensityLearner = propensity, Folds = folds }),
            _ => throw new ArgumentOutOfRangeException(nameof(method), method, $"Unknown method; use one of {string.Join(", ", Methods)}."),
        };
    }

    /// <summary>
    /// The estimator for a treatment with <paramref name="arms"/> arms: <c>causal-forest</c> becomes grf's multi-arm
    /// causal forest (same forest options) when there are more than two; every other method handles several arms itself.
    /// </summary>
    public static ICateLearner ForArms(ICateLearner learner, int arms) =>
        learner is CausalForest forest && arms > 2
            ? new MultiArmCausalForest(new MultiArmCausalForestOptions { Forest = forest.Options.Forest, NuisanceTrees = forest.Options.NuisanceTrees, StabilizeSplits = forest.Options.StabilizeSplits })
            : learner;

    private static (IRegressionLearner Outcome, IClassificationLearner Propensity, IRegressionLearner Final) LearnersFor(string learner, int? trees) => learner switch
    {
        "gbdt" => (new GradientBoostingRegressionLearner(WithTrees(CateDefaults.Nuisance, trees)),
            new GradientBoostingClassificationLearner(WithTrees(CateDefaults.Propensity, trees)), CateDefaults.FinalLearner()),
        "forest" => (new RandomForestRegressionLearner(new RandomForestOptions { NumberOfTrees = trees ?? 500 }),
            new RandomForestProbabilityLearner(new RandomForestOptions { NumberOfTrees = trees ?? 500 }),
            new RandomForestRegressionLearner(new RandomForestOptions { NumberOfTrees = trees ?? 500, MinRowsInLeaf = 20 })),
        "linear" => (new LeastSquaresRegressionLearner(new LeastSquaresOptions { L2Regularization = 1e-4 }),
            new LogisticRegressionLearner(new LogisticRegressionOptions()),
            new LeastSquaresRegressionLearner(new LeastSquaresOptions { L2Regularization = 1e-4 })),
        _ => throw new ArgumentOutOfRangeException(nameof(learner), learner, $"Unknown learner; use one of {string.Join(", ", Learners)}."),
    };

    private static GradientBoostingOptions WithTrees(GradientBoostingOptions options, int? trees) => trees is { } t ? options with { NumberOfTrees = t } : options;
}
