using Microsoft.ML.Causal.Persistence;

namespace Microsoft.ML.Causal.Learners.RandomForest;

/// <summary>
/// A regression forest: the mean of honest (by default) trees grown on subsamples, each split trying mtry
/// features. <see cref="FitWithOutOfBag"/> also returns each training row's out-of-bag prediction, the
/// cross-fit-free nuisance estimate that grf uses for local centering. See <see cref="RandomForestOptions"/>.
/// </summary>
public sealed class RandomForestRegressionLearner : IRegressionLearner
{
    /// <summary>Creates the learner; options are checked when it fits.</summary>
    public RandomForestRegressionLearner(RandomForestOptions? options = null) => Options = options ?? new RandomForestOptions();

    /// <summary>The options.</summary>
    public RandomForestOptions Options { get; }

    /// <inheritdoc />
    public IRegressionModel Fit(TrainingSet data, FitContext? context = null) => FitModel(data, context);

    /// <summary>Fits and returns the concrete model type.</summary>
    public RandomForestRegressionModel FitModel(TrainingSet data, FitContext? context = null) => Train(data, context, outOfBag: false).Model;

    /// <summary>
    /// Fits, and predicts each fitted row from the trees that did not draw it (indexed by row of the feature
    /// matrix; rows not fitted on are 0). A row that every tree drew gets the whole forest's prediction.
    /// </summary>
    public (RandomForestRegressionModel Model, double[] OutOfBag) FitWithOutOfBag(TrainingSet data, FitContext? context = null)
    {
        var (model, oob) = Train(data, context, outOfBag: true);
        return (model, oob!);
    }

    private (RandomForestRegressionModel Model, double[]? OutOfBag) Train(TrainingSet data, FitContext? context, bool outOfBag)
    {
        const string name = nameof(RandomForestRegressionLearner);
        Options.Validate(name);
        TrainingSetChecks.Check(data, name, Options.MinRowsInLeaf);
        var (forest, oob) = ForestGrower.Train(data, Options, context ?? FitContext.Default, name, outOfBag);
        return (new RandomForestRegressionModel(forest), oob);
    }
}

/// <summary>A fitted regression forest: the mean of its trees' leaf values.</summary>
public sealed class RandomForestRegressionModel : IRegressionModel
{
    internal const string LoaderName = "RandomForestRegression";
    internal const int Version = 1;

    internal RandomForestRegressionModel(ForestEnsemble forest) => Forest = forest;

    internal ForestEnsemble Forest { get; }

    /// <inheritdoc />
    public int FeatureCount => Forest.FeatureCount;

    /// <summary>Number of trees.</summary>
    public int TreeCount => Forest.Trees.Count;

    /// <inheritdoc />
    public string ComponentName => LoaderName;

    /// <inheritdoc />
    public int ComponentVersion => Version;

    /// <inheritdoc />
    public double Predict(ReadOnlySpan<double> features) => Forest.Predict(features);

    /// <inheritdoc />
    public void Save(IModelWriter writer) => Forest.Save(writer);

    internal static RandomForestRegressionModel Load(IModelReader reader) => new(ForestEnsemble.Load(reader));
}
