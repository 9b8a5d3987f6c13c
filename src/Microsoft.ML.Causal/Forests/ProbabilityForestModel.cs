using Microsoft.ML.Causal.Learners;
using Microsoft.ML.Causal.Persistence;

namespace Microsoft.ML.Causal.Forests;

/// <summary>A fitted <see cref="ProbabilityForest"/>: P(y = 1 | x) as the forest-weighted share of ones, with out-of-bag probabilities of the training rows.</summary>
public sealed class ProbabilityForestModel : IProbabilityModel
{
    internal const string LoaderName = "GrfProbabilityForest";
    internal const int Version = 1;

    internal ProbabilityForestModel(RegressionForestModel forest) => Forest = forest;

    /// <summary>The regression forest on the 0/1 label.</summary>
    public RegressionForestModel Forest { get; }

    /// <inheritdoc />
    public int FeatureCount => Forest.FeatureCount;

    /// <summary>Each training row's out-of-bag probability (0 for rows not fitted on).</summary>
    public ReadOnlyMemory<double> OutOfBagProbabilities => Forest.OutOfBagPredictions;

    /// <inheritdoc />
    public string ComponentName => LoaderName;

    /// <inheritdoc />
    public int ComponentVersion => Version;

    /// <inheritdoc />
    public double PredictProbability(ReadOnlySpan<double> features) => Math.Clamp(Forest.Predict(features), 0, 1);

    /// <inheritdoc />
    public void Save(IModelWriter writer) => Forest.Save(writer);

    internal static ProbabilityForestModel Load(IModelReader reader) => new(RegressionForestModel.Load(reader));
}
