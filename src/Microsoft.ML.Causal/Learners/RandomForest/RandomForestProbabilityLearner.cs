using Microsoft.ML.Causal.Persistence;

namespace Microsoft.ML.Causal.Learners.RandomForest;

/// <summary>
/// A probability forest for 0/1 labels: each leaf holds the (weighted) share of ones among its rows, and the
/// forest averages them, so probabilities lie in [0, 1]. Splits reduce the variance of the label (the Gini
/// criterion for two classes). <see cref="FitWithOutOfBag"/> also returns out-of-bag probabilities.
/// </summary>
public sealed class RandomForestProbabilityLearner : IClassificationLearner
{
    /// <summary>Creates the learner; options are checked when it fits.</summary>
    public RandomForestProbabilityLearner(RandomForestOptions? options = null) => Options = options ?? new RandomForestOptions();

    /// <summary>The options.</summary>
    public RandomForestOptions Options { get; }

    /// <inheritdoc />
    public IProbabilityModel Fit(TrainingSet data, FitContext? context = null) => FitModel(data, context);

    /// <summary>Fits and returns the concrete model type.</summary>
    public RandomForestProbabilityModel FitModel(TrainingSet data, FitContext? context = null) => Train(data, context, outOfBag: false).Model;

    /// <summary>Fits, and gives each fitted row the probability from the trees that did not draw it (see <see cref="RandomForestRegressionLearner.FitWithOutOfBag"/>).</summary>
    public (RandomForestProbabilityModel Model, double[] OutOfBag) FitWithOutOfBag(TrainingSet data, FitContext? context = null)
    {
        var (model, oob) = Train(data, context, outOfBag: true);
        return (model, oob!);
    }

    private (RandomForestProbabilityModel Model, double[]? OutOfBag) Train(TrainingSet data, FitContext? context, bool outOfBag)
    {
        const string name = nameof(RandomForestProbabilityLearner);
        Options.Validate(name);
        TrainingSetChecks.CheckBinary(data, name, Options.MinRowsInLeaf);
        var (forest, oob) = ForestGrower.Train(data, Options, context ?? FitContext.Default, name, outOfBag);
        return (new RandomForestProbabilityModel(forest), oob);
    }
}

/// <summary>A fitted probability forest: the mean over trees of the share of ones in the leaf.</summary>
public sealed class RandomForestProbabilityModel : IProbabilityModel
{
    internal const string LoaderName = "RandomForestProbability";
    internal const int Version = 1;

    internal RandomForestProbabilityModel(ForestEnsemble forest) => Forest = forest;

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
    public double PredictProbability(ReadOnlySpan<double> features) => Forest.Predict(features);

    /// <inheritdoc />
    public void Save(IModelWriter writer) => Forest.Save(writer);

    internal static RandomForestProbabilityModel Load(IModelReader reader) => new(ForestEnsemble.Load(reader));
}
