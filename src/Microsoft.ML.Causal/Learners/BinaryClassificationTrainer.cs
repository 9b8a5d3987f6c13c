using Microsoft.ML.Causal.Data;
using Microsoft.ML.Causal.Persistence;

namespace Microsoft.ML.Causal.Learners;

/// <summary>
/// Any <see cref="IClassificationLearner"/> as a pipeline estimator: fits on a 0/1 (or Boolean) label column and a
/// Vector&lt;Double&gt; feature column and returns a <see cref="BinaryScoringTransformer"/> that adds
/// <c>Probability</c> and <c>PredictedLabel</c> (probability ≥ 0.5).
/// </summary>
public sealed class BinaryClassificationTrainer : LearnerTrainer<BinaryScoringTransformer>
{
    /// <summary>Creates the trainer.</summary>
    /// <param name="learner">The learner to fit.</param>
    /// <param name="labelColumnName">The label column (Boolean, or numeric 0/1).</param>
    /// <param name="featureColumnName">The feature vector column.</param>
    /// <param name="weightColumnName">An optional non-negative weight column.</param>
    /// <param name="seed">The seed passed to the learner's fits (its own <c>Seed</c> option wins).</param>
    /// <param name="context">A context whose log receives the fit's progress (every tenth), or null.</param>
    public BinaryClassificationTrainer(IClassificationLearner learner, string labelColumnName, string featureColumnName = "Features", string? weightColumnName = null, int seed = 0, CausalContext? context = null)
        : base(labelColumnName, featureColumnName, weightColumnName, seed, context)
    {
        ArgumentNullException.ThrowIfNull(learner);
        Learner = learner;
    }

    /// <summary>The learner.</summary>
    public IClassificationLearner Learner { get; }

    /// <inheritdoc />
    protected override string LearnerName => Learner.GetType().Name;

    /// <inheritdoc />
    protected override IEnumerable<ColumnDefinition> OutputColumns => BinaryScoringTransformer.Outputs;

    /// <inheritdoc />
    protected override BinaryScoringTransformer FitCore(TrainingSet data, FitContext context) => new(Learner.Fit(data, context), FeatureColumnName);
}

/// <summary>A fitted probability model in a pipeline: adds <c>Probability</c> and <c>PredictedLabel</c>.</summary>
public sealed class BinaryScoringTransformer : RowToRowTransformerBase
{
    internal const string LoaderName = "BinaryScoring";
    internal const int Version = 1;

    /// <summary>The name of the added probability column.</summary>
    public const string ProbabilityColumn = "Probability";

    /// <summary>The name of the added Boolean column (probability ≥ 0.5).</summary>
    public const string PredictedLabelColumn = "PredictedLabel";

    internal static readonly ColumnDefinition[] Outputs =
        [new(ProbabilityColumn, ColumnType.Double), new(PredictedLabelColumn, ColumnType.Boolean)];

    internal BinaryScoringTransformer(IProbabilityModel model, string featureColumnName)
    {
        Model = model;
        FeatureColumnName = featureColumnName;
    }

    /// <summary>The fitted model.</summary>
    public IProbabilityModel Model { get; }

    /// <summary>The feature vector column read.</summary>
    public string FeatureColumnName { get; }

    /// <inheritdoc />
    public override string ComponentName => LoaderName;

    /// <inheritdoc />
    public override int ComponentVersion => Version;

    /// <inheritdoc />
    protected override RowFunction Bind(DataSchema inputSchema) =>
        new ScoringFunction(inputSchema, FeatureColumnName, Model.FeatureCount, nameof(BinaryScoringTransformer), Outputs, (x, row) =>
        {
            var p = Model.PredictProbability(x);
            row.StoreNumber(0, p);
            row.StoreNumber(1, p >= 0.5 ? 1 : 0);
        });

    /// <inheritdoc />
    public override void Save(IModelWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteString(FeatureColumnName);
        writer.WriteModel(Model);
    }

    internal static BinaryScoringTransformer Load(IModelReader reader)
    {
        var features = reader.ReadString();
        return new BinaryScoringTransformer(reader.ReadModel<IProbabilityModel>(), features);
    }
}
