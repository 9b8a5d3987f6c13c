using Microsoft.ML.Causal.Data;
using Microsoft.ML.Causal.Evaluation;
using Microsoft.ML.Causal.Learners;
using Microsoft.ML.Causal.Learners.GradientBoosting;
using Microsoft.ML.Causal.Learners.RandomForest;
using Microsoft.ML.Causal.Learners.Linear;

namespace Microsoft.ML.Causal;

/// <summary>Regression: <c>ctx.Regression.Trainers.*</c> and <c>ctx.Regression.Evaluate</c>.</summary>
public sealed class CausalRegressionCatalog
{
    internal CausalRegressionCatalog(CausalContext context)
    {
        Context = context;
        Trainers = new RegressionTrainers(context);
    }

    /// <summary>The context this catalog belongs to.</summary>
    public CausalContext Context { get; }

    /// <summary>The regression trainers.</summary>
    public RegressionTrainers Trainers { get; }

    /// <summary>RMSE, MAE and R² of <paramref name="scoreColumnName"/> against <paramref name="labelColumnName"/>.</summary>
    public RegressionEvaluation Evaluate(ICausalDataView data, string labelColumnName = "Label", string scoreColumnName = RegressionScoringTransformer.ScoreColumn, string? weightColumnName = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        return RegressionEvaluation.Compute(data.GetNumericColumn(labelColumnName).Span, data.GetNumericColumn(scoreColumnName).Span,
            weightColumnName is null ? default : data.GetNumericColumn(weightColumnName).Span);
    }

    /// <summary>The regression trainers of a context; each takes the context's next component seed.</summary>
    public sealed class RegressionTrainers
    {
        internal RegressionTrainers(CausalContext context) => Context = context;

        /// <summary>The context the trainers draw seeds from.</summary>
        public CausalContext Context { get; }

        /// <summary>Gradient-boosted trees on squared loss (see <see cref="GradientBoostingOptions"/> for every option and its LightGBM counterpart).</summary>
        public RegressionTrainer GradientBoosting(string labelColumnName = "Label", string featureColumnName = "Features", string? weightColumnName = null,
            int numberOfTrees = 100, int numberOfLeaves = 31, double learningRate = 0.1, int minRowsInLeaf = 20) =>
            GradientBoosting(new GradientBoostingOptions { NumberOfTrees = numberOfTrees, NumberOfLeaves = numberOfLeaves, LearningRate = learningRate, MinRowsInLeaf = minRowsInLeaf },
                labelColumnName, featureColumnName, weightColumnName);

        /// <summary>Gradient-boosted trees on squared loss with explicit options.</summary>
        public RegressionTrainer GradientBoosting(GradientBoostingOptions options, string labelColumnName = "Label", string featureColumnName = "Features", string? weightColumnName = null) =>
            new(new GradientBoostingRegressionLearner(options), labelColumnName, featureColumnName, weightColumnName, Context.NextComponentSeed(), Context);

        /// <summary>A regression forest (see <see cref="RandomForestOptions"/> for every option and its grf counterpart).</summary>
        public RegressionTrainer RandomForest(string labelColumnName = "Label", string featureColumnName = "Features", string? weightColumnName = null,
            int numberOfTrees = 500, int minRowsInLeaf = 5, bool honest = true) =>
            RandomForest(new RandomForestOptions { NumberOfTrees = numberOfTrees, MinRowsInLeaf = minRowsInLeaf, Honest = honest }, labelColumnName, featureColumnName, weightColumnName);

        /// <summary>A regression forest with explicit options.</summary>
        public RegressionTrainer RandomForest(RandomForestOptions options, string labelColumnName = "Label", string featureColumnName = "Features", string? weightColumnName = null) =>
            new(new RandomForestRegressionLearner(options), labelColumnName, featureColumnName, weightColumnName, Context.NextComponentSeed(), Context);

        /// <summary>
        /// Weighted least squares: ordinary (with HC1 standard errors on the model) when <paramref name="l2Regularization"/> is 0,
        /// ridge otherwise (see <see cref="LeastSquaresOptions"/> for the scaling of λ).
        /// </summary>
        public RegressionTrainer LeastSquares(string labelColumnName = "Label", string featureColumnName = "Features", string? weightColumnName = null,
            double l2Regularization = 0) =>
            LeastSquares(new LeastSquaresOptions { L2Regularization = l2Regularization }, labelColumnName, featureColumnName, weightColumnName);

        /// <summary>Weighted least squares or ridge with explicit options.</summary>
        public RegressionTrainer LeastSquares(LeastSquaresOptions options, string labelColumnName = "Label", string featureColumnName = "Features", string? weightColumnName = null) =>
            new(new LeastSquaresRegressionLearner(options), labelColumnName, featureColumnName, weightColumnName, Context.NextComponentSeed(), Context);

        /// <summary>
        /// Elastic net by coordinate descent (see <see cref="ElasticNetOptions"/>): mixing <paramref name="alpha"/> (1 lasso, 0 ridge) and
        /// penalty <paramref name="lambda"/>, or, when it is null, the λ with the smallest 5-fold cross-validated error on a path of 100.
        /// </summary>
        public RegressionTrainer ElasticNet(string labelColumnName = "Label", string featureColumnName = "Features", string? weightColumnName = null,
            double alpha = 0.5, double? lambda = null) =>
            ElasticNet(new ElasticNetOptions { Alpha = alpha, Lambda = lambda }, labelColumnName, featureColumnName, weightColumnName);

        /// <summary>Elastic net with explicit options.</summary>
        public RegressionTrainer ElasticNet(ElasticNetOptions options, string labelColumnName = "Label", string featureColumnName = "Features", string? weightColumnName = null) =>
            new(new ElasticNetRegressionLearner(options), labelColumnName, featureColumnName, weightColumnName, Context.NextComponentSeed(), Context);

        /// <summary>The lasso: the elastic net with α = 1; <paramref name="lambda"/> null cross-validates it (see <see cref="ElasticNetOptions"/>).</summary>
        public RegressionTrainer Lasso(string labelColumnName = "Label", string featureColumnName = "Features", string? weightColumnName = null, double? lambda = null) =>
            ElasticNet(new ElasticNetOptions { Alpha = 1, Lambda = lambda }, labelColumnName, featureColumnName, weightColumnName);

        /// <summary>Any regression learner as a pipeline trainer.</summary>
        public RegressionTrainer FromLearner(IRegressionLearner learner, string labelColumnName = "Label", string featureColumnName = "Features", string? weightColumnName = null) =>
            new(learner, labelColumnName, featureColumnName, weightColumnName, Context.NextComponentSeed(), Context);
    }
}
