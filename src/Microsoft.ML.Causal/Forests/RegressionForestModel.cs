using System.Buffers;
using Microsoft.ML.Causal.Forests.Prediction;
using Microsoft.ML.Causal.Learners;
using Microsoft.ML.Causal.Persistence;

namespace Microsoft.ML.Causal.Forests;

/// <summary>
/// A fitted <see cref="RegressionForest"/>: μ̂(x) = Ē[wY]/Ē[w] over the trees' leaf statistics, and the
/// out-of-bag prediction of every training row. Immutable and thread-safe.
/// </summary>
public sealed class RegressionForestModel : IRegressionModel
{
    internal const string LoaderName = "GrfRegressionForest";
    internal const int Version = 1;
    private readonly double[] _outOfBag;

    internal RegressionForestModel(HonestForest forest, RegressionPredictionStrategy strategy, double[] outOfBag)
    {
        Forest = forest;
        Strategy = strategy;
        _outOfBag = outOfBag;
    }

    internal HonestForest Forest { get; }

    internal RegressionPredictionStrategy Strategy { get; }

    /// <inheritdoc />
    public int FeatureCount => Forest.FeatureCount;

    /// <summary>Number of trees.</summary>
    public int TreeCount => Forest.TreeCount;

    /// <summary>Each training row's prediction from the trees that did not draw it, indexed by row of the training features (0 for rows not fitted on).</summary>
    public ReadOnlyMemory<double> OutOfBagPredictions => _outOfBag;

    /// <inheritdoc />
    public string ComponentName => LoaderName;

    /// <inheritdoc />
    public int ComponentVersion => Version;

    /// <inheritdoc />
    public double Predict(ReadOnlySpan<double> features)
    {
        if (features.Length != FeatureCount)
            throw new ArgumentException($"The regression forest expects {FeatureCount} features; got {features.Length}.", nameof(features));
        return Predict(Forest, Strategy, features);
    }

    internal static double Predict(HonestForest forest, IPredictionStrategy strategy, ReadOnlySpan<double> features)
    {
        var leaves = ArrayPool<int>.Shared.Rent(forest.TreeCount);
        try
        {
            var span = leaves.AsSpan(0, forest.TreeCount);
            forest.CollectLeaves(features, span);
            Span<double> average = stackalloc double[strategy.StatCount];
            Span<double> output = stackalloc double[strategy.OutputCount];
            forest.Average(span, average);
            strategy.Predict(average, output);
            return output[0];
        }
        finally
        {
            ArrayPool<int>.Shared.Return(leaves);
        }
    }

    /// <inheritdoc />
    public void Save(IModelWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteDouble(Strategy.Fallback);
        Forest.Save(writer);
        writer.WriteDoubles(_outOfBag);
    }

    internal static RegressionForestModel Load(IModelReader reader)
    {
        var fallback = reader.ReadDouble();
        var forest = HonestForest.Load(reader, 2);
        return new RegressionForestModel(forest, new RegressionPredictionStrategy(fallback), reader.ReadDoubles());
    }
}
