using System.Collections.Immutable;
using Microsoft.ML.Causal.Data;
using Microsoft.ML.Causal.Evaluation;
using Microsoft.ML.Causal.Learners;
using Microsoft.ML.Causal.Trainers;

namespace Microsoft.ML.Causal;

/// <summary>
/// Heterogeneous treatment effects: <c>ctx.Cate.Trainers.*</c>. Every trainer reads an outcome, a treatment and a
/// feature vector (see <see cref="CateColumns"/>) and returns a <see cref="CateTransformer"/> adding <c>Cate</c>,
/// <c>CateLower</c> and <c>CateUpper</c> (and, for the causal forests, <c>CateVariance</c>); the fitted model also
/// carries the ATE and ATT with standard errors. The forest analyses (calibration test, best linear projection) run
/// on a fitted pipeline here too.
/// </summary>
public sealed class CausalCateCatalog
{
    internal CausalCateCatalog(CausalContext context)
    {
        Context = context;
        Trainers = new CateTrainers(context);
    }

    /// <summary>The context this catalog belongs to.</summary>
    public CausalContext Context { get; }

    /// <summary>The CATE trainers.</summary>
    public CateTrainers Trainers { get; }

    /// <summary>
    /// The doubly robust (AIPW) scores of the rows of <paramref name="data"/>, with outcome models and propensities
    /// cross-fitted on those rows (see <see cref="DoublyRobustScores"/>): evaluate several rules or segments on one
    /// held-out set while fitting its nuisances once. Takes the context's next component seed unless the options
    /// give one.
    /// </summary>
    /// <param name="data">The evaluation rows, with the outcome, treatment and feature columns of <paramref name="columns"/>; rows the rules were not learned from.</param>
    /// <param name="columns">The columns read (weights and clusters are honoured; a propensity column gives known propensities).</param>
    /// <param name="options">Learners, folds and propensities of the nuisances (default: gradient boosting, 5 folds, learned propensities).</param>
    public DoublyRobustScores ScoreDoublyRobust(ICausalDataView data, CateColumns columns, PolicyEvaluationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(columns);
        options ??= new PolicyEvaluationOptions();
        var cateData = CateColumnReader.Read(data, "policy evaluation", columns);
        var context = new FitContext
        {
            Seed = options.Seed ?? Context.NextComponentSeed(),
            Progress = new LogProgress(Context),
            Log = Context.WriteLog,
        };
        return DoublyRobustScores.CrossFit(cateData, options, context);
    }

    /// <summary>
    /// The doubly robust gain of a treat/do-not-treat rule on held-out rows, over treating no one and over treating
    /// everyone, with standard errors: nuisances cross-fitted on <paramref name="data"/>
    /// (see <see cref="ScoreDoublyRobust"/>), then <see cref="DoublyRobustScores.EvaluatePolicy(IReadOnlyList{bool})"/>.
    /// </summary>
    /// <param name="data">The evaluation rows (not those the rule was learned from).</param>
    /// <param name="treat">For every row of <paramref name="data"/>, whether the rule treats it.</param>
    /// <param name="columns">The columns read (a binary treatment).</param>
    /// <param name="options">How the nuisances are fitted.</param>
    public PolicyValue EvaluatePolicy(ICausalDataView data, IReadOnlyList<bool> treat, CateColumns columns, PolicyEvaluationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(treat);
        CheckLength(data, treat.Count);
        return ScoreDoublyRobust(data, columns, options).EvaluatePolicy(treat);
    }

    /// <summary>
    /// The doubly robust gain of a rule that gives each row an arm (by name, as the treatment column writes it) on
    /// held-out rows, over giving everyone control and over giving everyone each other arm, with standard errors.
    /// </summary>
    /// <param name="data">The evaluation rows (not those the rule was learned from).</param>
    /// <param name="arms">For every row of <paramref name="data"/>, the arm the rule gives it.</param>
    /// <param name="columns">The columns read (set <see cref="TreatmentKind.MultiArm"/> for more than two arms).</param>
    /// <param name="options">How the nuisances are fitted.</param>
    public PolicyValue EvaluatePolicy(ICausalDataView data, IReadOnlyList<string> arms, CateColumns columns, PolicyEvaluationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(arms);
        CheckLength(data, arms.Count);
        return ScoreDoublyRobust(data, columns, options).EvaluatePolicy(arms);
    }

    private static void CheckLength(ICausalDataView data, int count)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (count != data.RowCount)
            throw new ArgumentException($"policy evaluation: the policy has {count} entries for {data.RowCount} rows; give one per row of the data, in row order.");
    }

    /// <summary>
    /// grf's calibration test (<see cref="Forests.CausalForestAnalysis.TestCalibration"/>) of the causal forest in a
    /// fitted pipeline, on the rows it was fitted on.
    /// </summary>
    /// <param name="forest">The pipeline's CATE transformer, holding a <see cref="Forests.CausalForestModel"/> (not compacted).</param>
    /// <param name="trainingData">The training rows with the forest's feature vector column, e.g. the fitted pipeline's <c>Transform</c> of the training data.</param>
    /// <param name="columns">The columns the forest was fitted with (its feature column is taken from <paramref name="forest"/>).</param>
    /// <exception cref="ArgumentException">The transformer does not hold a binary or continuous causal forest, or the data are not those it was fitted on.</exception>
    public Forests.CalibrationTest TestCalibration(CateTransformer forest, ICausalDataView trainingData, CateColumns columns)
    {
        var (model, data) = ForestData<Forests.CausalForestModel>(forest, trainingData, columns, "a causal forest (ctx.Cate.Trainers.CausalForest)");
        return Forests.CausalForestAnalysis.TestCalibration(model, data);
    }

    /// <summary>
    /// grf's debiased out-of-bag error (<see cref="Forests.CausalForestAnalysis.DebiasedError"/>) of the causal forest
    /// in a fitted pipeline, on the rows it was fitted on: the raw out-of-bag R-loss, its Monte-Carlo excess and their
    /// difference.
    /// </summary>
    /// <param name="forest">The pipeline's CATE transformer, holding a <see cref="Forests.CausalForestModel"/> (not compacted).</param>
    /// <param name="trainingData">The training rows with the forest's feature vector column.</param>
    /// <param name="columns">The columns the forest was fitted with.</param>
    /// <exception cref="ArgumentException">The transformer does not hold a binary or continuous causal forest, or the data are not those it was fitted on.</exception>
    public Forests.OutOfBagError DebiasedError(CateTransformer forest, ICausalDataView trainingData, CateColumns columns)
    {
        var (model, data) = ForestData<Forests.CausalForestModel>(forest, trainingData, columns, "a causal forest (ctx.Cate.Trainers.CausalForest)");
        return Forests.CausalForestAnalysis.DebiasedError(model, data);
    }

    /// <summary>
    /// grf's best linear projection (<see cref="Forests.CausalForestAnalysis"/>) of the doubly robust scores of the
    /// causal forest in a fitted pipeline on the named covariates: one projection for a binary forest, one per arm for
    /// a multi-arm forest.
    /// </summary>
    /// <param name="forest">The pipeline's CATE transformer, holding a causal forest (binary or multi-arm, not compacted).</param>
    /// <param name="trainingData">The training rows with the forest's feature vector column.</param>
    /// <param name="columns">The columns the forest was fitted with.</param>
    /// <param name="covariates">Slot names of the feature vector to project on (e.g. "x1"); null or empty: none, so each intercept is the ATE.</param>
    /// <exception cref="ArgumentException">The transformer holds no causal forest, the data are not those it was fitted on, or a covariate is not a feature.</exception>
    public ImmutableArray<Forests.LinearProjection> BestLinearProjection(CateTransformer forest, ICausalDataView trainingData, CateColumns columns, IReadOnlyList<string>? covariates = null)
    {
        var (model, data) = ForestData<CateModel>(forest, trainingData, columns, "a causal forest (CausalForest or MultiArmCausalForest)");
        var names = data.Features.ColumnNames;
        var indices = (covariates ?? []).Select(c => names.IndexOf(c) is var j and >= 0 ? j
            : throw new ArgumentException($"BestLinearProjection: '{c}' is not a slot of the feature column '{forest.FeatureColumnName}'; its slots are {string.Join(", ", names)}.", nameof(covariates))).ToArray();
        return model switch
        {
            Forests.CausalForestModel binary => [Forests.CausalForestAnalysis.BestLinearProjection(binary, data, indices)],
            Forests.MultiArmCausalForestModel multi => Forests.CausalForestAnalysis.BestLinearProjection(multi, data, indices),
            _ => throw new ArgumentException($"BestLinearProjection needs a causal forest; the transformer holds a {model.Method} model.", nameof(forest)),
        };
    }

    private static (T Model, CateData Data) ForestData<T>(CateTransformer forest, ICausalDataView trainingData, CateColumns columns, string what)
        where T : CateModel
    {
        ArgumentNullException.ThrowIfNull(forest);
        ArgumentNullException.ThrowIfNull(trainingData);
        ArgumentNullException.ThrowIfNull(columns);
        if (forest.Model is not T model || model is not Forests.CausalForestModelBase)
            throw new ArgumentException($"The forest analyses need {what}; the transformer holds a {forest.Model.Method} model.", nameof(forest));
        var data = CateColumnReader.Read(trainingData, "forest analysis", columns with { Features = forest.FeatureColumnName, TreatmentKind = forest.TreatmentKind });
        return (model, data);
    }

    /// <summary>
    /// The CATE trainers of a context; each takes the context's next component seed. Each method has two overloads:
    /// common arguments, and the estimator's options record with a <see cref="CateColumns"/>. Learners left null
    /// are the <see cref="CateDefaults"/> (early-stopped gradient boosting).
    /// </summary>
    public sealed class CateTrainers
    {
        internal CateTrainers(CausalContext context) => Context = context;

        /// <summary>The context the trainers draw seeds from.</summary>
        public CausalContext Context { get; }

        /// <summary>S-learner: one outcome model on the features and the arm; τ̂(x) = μ̂(x, treated) − μ̂(x, control). Bootstrap intervals.</summary>
        public CateTrainer SLearner(string outcomeColumnName = "Outcome", string treatmentColumnName = "Treatment", string featureColumnName = "Features",
            TreatmentKind treatmentKind = TreatmentKind.Binary, IRegressionLearner? outcomeLearner = null, int bootstrapReplicates = 100) =>
            SLearner(new MetaLearnerOptions { OutcomeLearner = outcomeLearner, BootstrapReplicates = bootstrapReplicates },
                Columns(outcomeColumnName, treatmentColumnName, featureColumnName, treatmentKind));

        /// <summary>S-learner with explicit options and columns.</summary>
        public CateTrainer SLearner(MetaLearnerOptions options, CateColumns columns) => FromLearner(new Trainers.SLearner(options), columns);

        /// <summary>T-learner: one outcome model per arm; τ̂(x) = μ̂_treated(x) − μ̂_control(x). Bootstrap intervals.</summary>
        public CateTrainer TLearner(string outcomeColumnName = "Outcome", string treatmentColumnName = "Treatment", string featureColumnName = "Features",
            TreatmentKind treatmentKind = TreatmentKind.Binary, IRegressionLearner? outcomeLearner = null, int bootstrapReplicates = 100) =>
            TLearner(new MetaLearnerOptions { OutcomeLearner = outcomeLearner, BootstrapReplicates = bootstrapReplicates },
                Columns(outcomeColumnName, treatmentColumnName, featureColumnName, treatmentKind));

        /// <summary>T-learner with explicit options and columns.</summary>
        public CateTrainer TLearner(MetaLearnerOptions options, CateColumns columns) => FromLearner(new Trainers.TLearner(options), columns);

        /// <summary>X-learner (Künzel et al.): imputed effects from a T-learner, combined by the propensity. Bootstrap intervals.</summary>
        public CateTrainer XLearner(string outcomeColumnName = "Outcome", string treatmentColumnName = "Treatment", string featureColumnName = "Features",
            TreatmentKind treatmentKind = TreatmentKind.Binary, IRegressionLearner? outcomeLearner = null, IRegressionLearner? finalLearner = null, int bootstrapReplicates = 100) =>
            XLearner(FinalStage(outcomeLearner, finalLearner, bootstrapReplicates), Columns(outcomeColumnName, treatmentColumnName, featureColumnName, treatmentKind));

        /// <summary>X-learner with explicit options and columns.</summary>
        public CateTrainer XLearner(FinalStageOptions options, CateColumns columns) => FromLearner(new Trainers.XLearner(options), columns);

        /// <summary>R-learner (Nie and Wager): cross-fitted m̂ and ê, then a weighted regression of the residual ratio. Bootstrap intervals.</summary>
        public CateTrainer RLearner(string outcomeColumnName = "Outcome", string treatmentColumnName = "Treatment", string featureColumnName = "Features",
            TreatmentKind treatmentKind = TreatmentKind.Binary, IRegressionLearner? outcomeLearner = null, IRegressionLearner? finalLearner = null, int bootstrapReplicates = 100) =>
            RLearner(FinalStage(outcomeLearner, finalLearner, bootstrapReplicates), Columns(outcomeColumnName, treatmentColumnName, featureColumnName, treatmentKind));

        /// <summary>R-learner with explicit options and columns.</summary>
        public CateTrainer RLearner(FinalStageOptions options, CateColumns columns) => FromLearner(new Trainers.RLearner(options), columns);

        /// <summary>DR-learner (Kennedy): a regression of cross-fitted AIPW pseudo-outcomes on the features. Bootstrap intervals.</summary>
        public CateTrainer DRLearner(string outcomeColumnName = "Outcome", string treatmentColumnName = "Treatment", string featureColumnName = "Features",
            TreatmentKind treatmentKind = TreatmentKind.Binary, IRegressionLearner? outcomeLearner = null, IRegressionLearner? finalLearner = null, int bootstrapReplicates = 100) =>
            DRLearner(FinalStage(outcomeLearner, finalLearner, bootstrapReplicates), Columns(outcomeColumnName, treatmentColumnName, featureColumnName, treatmentKind));

        /// <summary>DR-learner with explicit options and columns.</summary>
        public CateTrainer DRLearner(FinalStageOptions options, CateColumns columns) => FromLearner(new Trainers.DRLearner(options), columns);

        /// <summary>
        /// Linear DML: θ(x) = (1, x)ᵀβ fitted on cross-fitted residuals, with analytic (HC1) intervals. Binary, several
        /// arms, or a continuous dose (<see cref="TreatmentKind.Continuous"/>: the marginal effect of one unit).
        /// </summary>
        public CateTrainer LinearDml(string outcomeColumnName = "Outcome", string treatmentColumnName = "Treatment", string featureColumnName = "Features",
            TreatmentKind treatmentKind = TreatmentKind.Binary, IRegressionLearner? outcomeLearner = null) =>
            LinearDml(new DmlOptions { OutcomeLearner = outcomeLearner }, Columns(outcomeColumnName, treatmentColumnName, featureColumnName, treatmentKind));

        /// <summary>Linear DML with explicit options and columns.</summary>
        public CateTrainer LinearDml(DmlOptions options, CateColumns columns) => FromLearner(new Trainers.LinearDml(options), columns);

        /// <summary>
        /// Sparse linear DML: the lasso selects the terms of θ(x), least squares on the selected terms gives the
        /// coefficients and HC1 intervals (post-selection intervals, not debiased-lasso ones).
        /// </summary>
        public CateTrainer SparseLinearDml(string outcomeColumnName = "Outcome", string treatmentColumnName = "Treatment", string featureColumnName = "Features",
            TreatmentKind treatmentKind = TreatmentKind.Binary, IRegressionLearner? outcomeLearner = null, double? lambda = null) =>
            SparseLinearDml(new DmlOptions { OutcomeLearner = outcomeLearner, Lambda = lambda }, Columns(outcomeColumnName, treatmentColumnName, featureColumnName, treatmentKind));

        /// <summary>Sparse linear DML with explicit options and columns.</summary>
        public CateTrainer SparseLinearDml(DmlOptions options, CateColumns columns) => FromLearner(new Trainers.SparseLinearDml(options), columns);

        /// <summary>
        /// A grf-style causal forest (honest trees on locally centered data, stabilized splits), with intervals from
        /// the bootstrap of little bags; binary treatment or, with <see cref="TreatmentKind.Continuous"/>, a dose.
        /// Defaults are grf's (2000 trees, sample fraction 0.5, min node size 5, honesty 0.5; see <see cref="Forests.ForestOptions"/>).
        /// </summary>
        public CateTrainer CausalForest(string outcomeColumnName = "Outcome", string treatmentColumnName = "Treatment", string featureColumnName = "Features",
            TreatmentKind treatmentKind = TreatmentKind.Binary, int numberOfTrees = 2000, int minNodeSize = 5) =>
            CausalForest(new Forests.CausalForestOptions { Forest = new Forests.ForestOptions { NumberOfTrees = numberOfTrees, MinNodeSize = minNodeSize } },
                Columns(outcomeColumnName, treatmentColumnName, featureColumnName, treatmentKind));

        /// <summary>A causal forest with explicit options and columns.</summary>
        public CateTrainer CausalForest(Forests.CausalForestOptions options, CateColumns columns) => FromLearner(new Forests.CausalForest(options), columns);

        /// <summary>
        /// grf's multi-arm causal forest: one CATE per non-control arm against control, from honest trees that split
        /// on the vector pseudo-outcomes of the arms' joint moment condition, with per-arm intervals and
        /// <c>CateVariance</c> from the bootstrap of little bags. The outputs are vectors with the arm names as slot
        /// names (<see cref="TreatmentKind.MultiArm"/>). Defaults are grf's (see <see cref="Forests.ForestOptions"/>).
        /// <paramref name="controlArm"/> is the control as the treatment column writes it (default: "0" or false when
        /// present, else the first arm).
        /// </summary>
        public CateTrainer MultiArmCausalForest(string outcomeColumnName = "Outcome", string treatmentColumnName = "Treatment", string featureColumnName = "Features",
            string? controlArm = null, int numberOfTrees = 2000, int minNodeSize = 5) =>
            MultiArmCausalForest(new Forests.MultiArmCausalForestOptions { Forest = new Forests.ForestOptions { NumberOfTrees = numberOfTrees, MinNodeSize = minNodeSize } },
                Columns(outcomeColumnName, treatmentColumnName, featureColumnName, TreatmentKind.MultiArm) with { ControlArm = controlArm });

        /// <summary>A multi-arm causal forest with explicit options and columns (set <see cref="CateColumns.TreatmentKind"/> to <see cref="TreatmentKind.MultiArm"/> for vector outputs).</summary>
        public CateTrainer MultiArmCausalForest(Forests.MultiArmCausalForestOptions options, CateColumns columns) => FromLearner(new Forests.MultiArmCausalForest(options), columns);

        /// <summary>Any CATE estimator as a pipeline trainer.</summary>
        public CateTrainer FromLearner(ICateLearner learner, CateColumns columns, double level = 0.95) =>
            new(learner, columns, Context.NextComponentSeed(), Context, level);

        private static CateColumns Columns(string outcome, string treatment, string features, TreatmentKind kind) =>
            new(outcome, treatment, features) { TreatmentKind = kind };

        private static FinalStageOptions FinalStage(IRegressionLearner? outcome, IRegressionLearner? final, int replicates) =>
            new() { OutcomeLearner = outcome, FinalLearner = final, BootstrapReplicates = replicates };
    }
}
