using Microsoft.ML.Causal.Data;
using Microsoft.ML.Causal.Persistence;

namespace Microsoft.ML.Causal.Learners;

/// <summary>
/// Any <see cref="IRegressionLearner"/> as a pipeline estimator: fits on a label column and a Vector&lt;Double&gt;
/// feature column (optionally weighted) and returns a <see cref="RegressionScoringTransformer"/> that adds a
/// <c>Score</c> column.
/// </summary>
public sealed class RegressionTrainer : LearnerTrainer<RegressionScoringTransformer>
{
    /// <summary>Creates the trainer.</summary>
    /// <param name="learner">The learner to fit.</param>
    /// <param name="labelColumnName">The label column (numeric scalar).</param>
    /// <param name="featureColumnName">The feature vector column.</param>
    /// <param name="weightColumnName">An optional non-negative weight column.</param>
    /// <param name="seed">The seed passed to the learner's fits (its own <c>Seed</c> option wins).</param>
    /// <param name="context">A context whose log receives the fit's progress (every tenth), or null.</param>
    public RegressionTrainer(IRegressionLearner learner, string labelColumnName, string featureColumnName = "Features", string? weightColumnName = null, int seed = 0, CausalContext? context = null)
        : base(labelColumnName, featureColumnName, weightColumnName, seed, context)
    {
        ArgumentNullException.ThrowIfNull(learner);
        Learner = learner;
    }

    /// <summary>The learner.</summary>
    public IRegressionLearner Learner { get; }

    /// <inheritdoc />
    protected override string LearnerName => Learner.GetType().Name;

    /// <inheritdoc />
    protected override IEnumerable<ColumnDefinition> OutputColumns => [new ColumnDefinition(RegressionScoringTransformer.ScoreColumn, ColumnType.Double)];

    /// <inheritdoc />
    protected override RegressionScoringTransformer FitCore(TrainingSet data, FitContext context) => new(Learner.Fit(data, context), FeatureColumnName);
}

/// <summary>A fitted regression model in a pipeline: adds <c>Score</c> (the prediction) from the feature vector column.</summary>
public sealed class RegressionScoringTransformer : RowToRowTransformerBase
{
    internal const string LoaderName = "RegressionScoring";
    internal const int Version = 1;

    /// <summary>The name of the added column.</summary>
    public const string ScoreColumn = "Score";

    internal RegressionScoringTransformer(IRegressionModel model, string featureColumnName)
    {
        Model = model;
        FeatureColumnName = featureColumnName;
    }

    /// <summary>The fitted model.</summary>
    public IRegressionModel Model { get; }

    /// <summary>The feature vector column read.</summary>
    public string FeatureColumnName { get; }

    /// <inheritdoc />
    public override string ComponentName => LoaderName;

    /// <inheritdoc />
    public override int ComponentVersion => Version;

    /// <inheritdoc />
    protected override RowFunction Bind(DataSchema inputSchema) =>
        new ScoringFunction(inputSchema, FeatureColumnName, Model.FeatureCount, nameof(RegressionScoringTransformer),
            [new ColumnDefinition(ScoreColumn, ColumnType.Double)], (x, row) => row.StoreNumber(0, Model.Predict(x)));

    /// <inheritdoc />
    public override void Save(IModelWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteString(FeatureColumnName);
        writer.WriteModel(Model);
    }

    internal static RegressionScoringTransformer Load(IModelReader reader)
    {
        var features = reader.ReadString();
        return new RegressionScoringTransformer(reader.ReadModel<IRegressionModel>(), features);
    }
}

/// <summary>The row function of the scoring transformers: read the feature vector, write the model's outputs.</summary>
internal sealed class ScoringFunction : RowFunction
{
    private readonly int _features;
    private readonly Action<ReadOnlySpan<double>, CausalRow> _score;

    public ScoringFunction(DataSchema schema, string featureColumn, int featureCount, string component, IEnumerable<ColumnDefinition> outputs, Action<ReadOnlySpan<double>, CausalRow> score)
        : base(schema, [Check(schema, featureColumn, featureCount, component).Index], outputs)
    {
        _features = schema[featureColumn].Index;
        _score = score;
    }

    private static DataSchema.Column Check(DataSchema schema, string name, int size, string component) =>
        LearnerColumns.Require(schema, component, name, t => t.Kind == ColumnKind.Vector && t.Size == size, $"Vector<Double, {size}>");

    public override void Compute(CausalRow input, CausalRow added, int rowIndex) => _score(input.GetVector(_features), added);
}
