using Microsoft.ML.Causal.Persistence;

namespace Microsoft.ML.Causal.Learners.GradientBoosting;

/// <summary>
/// Gradient-boosted regression trees on squared loss (LightGBM-style: histogram splits, leaf-wise growth,
/// missing values routed to the better side). See <see cref="GradientBoostingOptions"/> for the defaults.
/// </summary>
public sealed class GradientBoostingRegressionLearner : IRegressionLearner
{
    /// <summary>Creates the learner; options are checked when it fits.</summary>
    public GradientBoostingRegressionLearner(GradientBoostingOptions? options = null) => Options = options ?? new GradientBoostingOptions();

    /// <summary>The options.</summary>
    public GradientBoostingOptions Options { get; }

    /// <inheritdoc />
    public IRegressionModel Fit(TrainingSet data, FitContext? context = null) => FitModel(data, context);

    /// <summary>Fits and returns the concrete model type.</summary>
    public GradientBoostingRegressionModel FitModel(TrainingSet data, FitContext? context = null) => FitModel(data, null, context);

    /// <summary>
    /// Fits, watching <paramref name="validation"/> (features with the same columns) for early stopping when
    /// <see cref="GradientBoostingOptions.EarlyStoppingRounds"/> is set.
    /// </summary>
    public GradientBoostingRegressionModel FitModel(TrainingSet data, TrainingSet? validation, FitContext? context = null)
    {
        const string name = nameof(GradientBoostingRegressionLearner);
        Options.Validate(name, validation is not null);
        TrainingSetChecks.Check(data, name, Options.MinRowsInLeaf);
        if (validation is not null)
        {
            TrainingSetChecks.Check(validation, name, 1);
            if (validation.Features.ColumnCount != data.Features.ColumnCount)
                throw new ArgumentException($"{name}: the validation set has {validation.Features.ColumnCount} features; the training set has {data.Features.ColumnCount}.", nameof(validation));
        }
        return new GradientBoostingRegressionModel(GradientBooster.Train(data, Options, BoostingLoss.Squared, context ?? FitContext.Default, name, validation));
    }
}

/// <summary>A fitted boosted regression ensemble: prediction = starting score + the sum of the trees.</summary>
public sealed class GradientBoostingRegressionModel : BoostedTreesModel, IRegressionModel
{
    internal const string LoaderName = "GradientBoostingRegression";
    internal const int Version = 1;

    internal GradientBoostingRegressionModel(TreeEnsemble ensemble)
        : base(ensemble)
    {
    }

    /// <inheritdoc />
    public override string ComponentName => LoaderName;

    /// <inheritdoc />
    public override int ComponentVersion => Version;

    /// <inheritdoc />
    public double Predict(ReadOnlySpan<double> features) => Ensemble.Score(features);

    internal static GradientBoostingRegressionModel Load(IModelReader reader) => new(TreeEnsemble.Load(reader));
}
