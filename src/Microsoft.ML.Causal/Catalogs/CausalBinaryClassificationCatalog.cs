using Microsoft.ML.Causal.Data;
using Microsoft.ML.Causal.Evaluation;
using Microsoft.ML.Causal.Learners;
using Microsoft.ML.Causal.Learners.GradientBoosting;
using Microsoft.ML.Causal.Learners.RandomForest;
using Microsoft.ML.Causal.Learners.Linear;

namespace Microsoft.ML.Causal;

/// <summary>Binary classification: <c>ctx.BinaryClassification.Trainers.*</c> and <c>ctx.BinaryClassification.Evaluate</c>.</summary>
public sealed class CausalBinaryClassificationCatalog
{
    internal CausalBinaryClassificationCatalog(CausalContext context)
    {
        Context = context;
        Trainers = new BinaryTrainers(context);
    }

    /// <summary>The context this catalog belongs to.</summary>
    public CausalContext Context { get; }

    /// <summary>The binary classification trainers.</summary>
    public BinaryTrainers Trainers { get; }

    /// <summary>Log loss, AUC and accuracy of <paramref name="probabilityColumnName"/> against the 0/1 <paramref name="labelColumnName"/>.</summary>
    public BinaryEvaluation Evaluate(ICausalDataView data, string labelColumnName = "Label", string probabilityColumnName = BinaryScoringTransformer.ProbabilityColumn, string? weightColumnName = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        return BinaryEvaluation.Compute(data.GetNumericColumn(labelColumnName).Span, data.GetNumericColumn(probabilityColumnName).Span,
            weightColumnName is null ? default : data.GetNumericColumn(weightColumnName).Span);
    }

    /// <summary>The binary classification trainers of a context; each takes the context's next component seed.</summary>
    public sealed class BinaryTrainers
    {
        internal BinaryTrainers(CausalContext context) => Context = context;

        /// <summary>The context the trainers draw seeds from.</summary>
        public CausalContext Context { get; }

        /// <summary>Gradient-boosted trees on log loss (see <see cref="GradientBoostingOptions"/>).</summary>
        public BinaryClassificationTrainer GradientBoosting(string labelColumnName = "Label", string featureColumnName = "Features", string? weightColumnName = null,
            int numberOfTrees = 100, int numberOfLeaves = 31, double learningRate = 0.1, int minRowsInLeaf = 20) =>
            GradientBoosting(new GradientBoostingOptions { NumberOfTrees = numberOfTrees, NumberOfLeaves = numberOfLeaves, LearningRate = learningRate, MinRowsInLeaf = minRowsInLeaf },
                labelColumnName, featureColumnName, weightColumnName);

        /// <summary>Gradient-boosted trees on log loss with explicit options.</summary>
        public BinaryClassificationTrainer GradientBoosting(GradientBoostingOptions options, string labelColumnName = "Label", string featureColumnName = "Features", string? weightColumnName = null) =>
            new(new GradientBoostingClassificationLearner(options), labelColumnName, featureColumnName, weightColumnName, Context.NextComponentSeed(), Context);

        /// <summary>A probability forest (see <see cref="RandomForestOptions"/> for every option and its grf counterpart).</summary>
        public BinaryClassificationTrainer RandomForest(string labelColumnName = "Label", string featureColumnName = "Features", string? weightColumnName = null,
            int numberOfTrees = 500, int minRowsInLeaf = 5, bool honest = true) =>
            RandomForest(new RandomForestOptions { NumberOfTrees = numberOfTrees, MinRowsInLeaf = minRowsInLeaf, Honest = honest }, labelColumnName, featureColumnName, weightColumnName);

        /// <summary>A probability forest with explicit options.</summary>
        public BinaryClassificationTrainer RandomForest(RandomForestOptions options, string labelColumnName = "Label", string featureColumnName = "Features", string? weightColumnName = null) =>
            new(new RandomForestProbabilityLearner(options), labelColumnName, featureColumnName, weightColumnName, Context.NextComponentSeed(), Context);

        /// <summary>L2-penalized logistic regression fitted by Newton's method (see <see cref="LogisticRegressionOptions"/> for the scaling of λ).</summary>
        public BinaryClassificationTrainer LogisticRegression(string labelColumnName = "Label", string featureColumnName = "Features", string? weightColumnName = null,
            double l2Regularization = 1e-4) =>
            LogisticRegression(new LogisticRegressionOptions { L2Regularization = l2Regularization }, labelColumnName, featureColumnName, weightColumnName);

        /// <summary>L2-penalized logistic regression with explicit options.</summary>
        public BinaryClassificationTrainer LogisticRegression(LogisticRegressionOptions options, string labelColumnName = "Label", string featureColumnName = "Features", string? weightColumnName = null) =>
            new(new LogisticRegressionLearner(options), labelColumnName, featureColumnName, weightColumnName, Context.NextComponentSeed(), Context);

        /// <summary>Any classification learner as a pipeline trainer.</summary>
        public BinaryClassificationTrainer FromLearner(IClassificationLearner learner, string labelColumnName = "Label", string featureColumnName = "Features", string? weightColumnName = null) =>
            new(learner, labelColumnName, featureColumnName, weightColumnName, Context.NextComponentSeed(), Context);
    }
}
