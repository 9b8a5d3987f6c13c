using Microsoft.ML.Causal.Persistence;

namespace Microsoft.ML.Causal.Learners.GradientBoosting;

/// <summary>
/// Gradient-boosted trees for binary labels (0/1) on log loss; probabilities are the logistic function of the
/// summed scores. See <see cref="GradientBoostingOptions"/> for the defaults.
/// </summary>
public sealed class GradientBoostingClassificationLearner : IClassificationLearner
{
    /// <summary>Creates the learner; options are checked when it fits.</summary>
    public GradientBoostingClassificationLearner(GradientBoostingOptions? options = null) => Options = options ?? new GradientBoostingOptions();

    /// <summary>The options.</summary>
    public GradientBoostingOptions Options { get; }

    /// <inheritdoc />
    public IProbabilityModel Fit(TrainingSet data, FitContext? context = null) => FitModel(data, context);

    /// <summary>Fits and returns the concrete model type.</summary>
    public GradientBoostingBinaryModel FitModel(TrainingSet data, FitContext? context = null) => FitModel(data, null, context);

    /// <summary>
    /// Fits, watching <paramref name="validation"/> (features with the same columns) for early stopping when
    /// <see cref="GradientBoostingOptions.EarlyStoppingRounds"/> is set.
    /// </summary>
    public GradientBoostingBinaryModel FitModel(TrainingSet data, TrainingSet? validation, FitContext? context = null)
    {
        const string name = nameof(GradientBoostingClassificationLearner);
        Options.Validate(name, validation is not null);
        TrainingSetChecks.CheckBinary(data, name, Options.MinRowsInLeaf);
        if (validation is not null)
        {
            TrainingSetChecks.CheckBinary(validation, name, 1);
            if (validation.Features.ColumnCount != data.Features.ColumnCount)
                throw new ArgumentException($"{name}: the validation set has {validation.Features.ColumnCount} features; the training set has {data.Features.ColumnCount}.", nameof(validation));
        }
        return new GradientBoostingBinaryModel(GradientBooster.Train(data, Options, BoostingLoss.Logistic, context ?? FitContext.Default, name, validation));
    }
}

/// <summary>A fitted boosted classifier: P(y = 1 | x) = σ(starting logit + the sum of the trees).</summary>
public sealed class GradientBoostingBinaryModel : BoostedTreesModel, IProbabilityModel
{
    internal const string LoaderName = "GradientBoostingBinary";
    internal const int Version = 1;

    internal GradientBoostingBinaryModel(TreeEnsemble ensemble)
        : base(ensemble)
    {
    }

    /// <inheritdoc />
    public override string ComponentName => LoaderName;

    /// <inheritdoc />
    public override int ComponentVersion => Version;

    /// <summary>The logit (log-odds) for one row.</summary>
    public double PredictLogit(ReadOnlySpan<double> features) => Ensemble.Score(features);

    /// <inheritdoc />
    public double PredictProbability(ReadOnlySpan<double> features) => Numerics.LogisticMath.Sigmoid(Ensemble.Score(features));

    internal static GradientBoostingBinaryModel Load(IModelReader reader) => new(TreeEnsemble.Load(reader));
}
