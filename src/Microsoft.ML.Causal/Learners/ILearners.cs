using Microsoft.ML.Causal.Persistence;

namespace Microsoft.ML.Causal.Learners;

/// <summary>A regression learner: fits E[y | x] on a <see cref="TrainingSet"/>. Stateless; options are immutable.</summary>
public interface IRegressionLearner
{
    /// <summary>Fits a model; the learner itself does not change.</summary>
    /// <exception cref="DataValidationException">A label or weight is NaN/∞ or negative, or there are too few rows; the message names the row.</exception>
    IRegressionModel Fit(TrainingSet data, FitContext? context = null);
}

/// <summary>A fitted regression model: immutable, thread-safe, savable.</summary>
public interface IRegressionModel : ISavableModel
{
    /// <summary>Number of features the model expects.</summary>
    int FeatureCount { get; }

    /// <summary>The prediction for one row of features.</summary>
    double Predict(ReadOnlySpan<double> features);
}

/// <summary>A binary classification learner: fits P(y = 1 | x) on labels 0/1. Stateless; options are immutable.</summary>
public interface IClassificationLearner
{
    /// <summary>Fits a model; the learner itself does not change.</summary>
    /// <exception cref="DataValidationException">A label is not 0/1, only one class is present, or a weight is invalid; the message names the row.</exception>
    IProbabilityModel Fit(TrainingSet data, FitContext? context = null);
}

/// <summary>A fitted probability model: immutable, thread-safe, savable.</summary>
public interface IProbabilityModel : ISavableModel
{
    /// <summary>Number of features the model expects.</summary>
    int FeatureCount { get; }

    /// <summary>P(y = 1 | x) for one row of features.</summary>
    double PredictProbability(ReadOnlySpan<double> features);
}

/// <summary>Batch prediction over a feature matrix, for any model.</summary>
public static class ModelExtensions
{
    /// <summary>Predicts every row of <paramref name="features"/> (or the listed <paramref name="rows"/>) into <paramref name="output"/>, in parallel.</summary>
    public static void Predict(this IRegressionModel model, FeatureMatrix features, Span<double> output, ReadOnlySpan<int> rows = default) =>
        Batch(model.Predict, model.FeatureCount, features, output, rows);

    /// <summary>Predicts probabilities for every row of <paramref name="features"/> (or the listed <paramref name="rows"/>) into <paramref name="output"/>.</summary>
    public static void PredictProbability(this IProbabilityModel model, FeatureMatrix features, Span<double> output, ReadOnlySpan<int> rows = default) =>
        Batch(model.PredictProbability, model.FeatureCount, features, output, rows);

    private delegate double RowPredictor(ReadOnlySpan<double> x);

    private static void Batch(RowPredictor predict, int featureCount, FeatureMatrix features, Span<double> output, ReadOnlySpan<int> rows)
    {
        ArgumentNullException.ThrowIfNull(features);
        if (features.ColumnCount != featureCount)
            throw new ArgumentException($"The model expects {featureCount} features; the matrix has {features.ColumnCount}.", nameof(features));
        var n = rows.IsEmpty ? features.RowCount : rows.Length;
        if (output.Length < n)
            throw new ArgumentException($"The output holds {output.Length} values; {n} are needed.", nameof(output));
        var result = new double[n];
        var list = rows.IsEmpty ? null : rows.ToArray();
        Parallel.For(0, (n + 1023) / 1024, block =>
        {
            var end = Math.Min(n, (block + 1) * 1024);
            for (var i = block * 1024; i < end; i++)
                result[i] = predict(features.Row(list is null ? i : list[i]));
        });
        result.CopyTo(output);
    }
}
