using System.Collections.Immutable;
using Microsoft.ML.Causal.Numerics;
using Microsoft.ML.Causal.Persistence;

namespace Microsoft.ML.Causal.Learners.Linear;

/// <summary>
/// A fitted logistic regression: P(y = 1 | x) = σ(<see cref="Intercept"/> + Σ_j <see cref="Coefficients"/>[j]·x_j),
/// coefficients on the original feature scale. A NaN feature gives a NaN probability.
/// </summary>
public sealed class LogisticRegressionModel : IProbabilityModel
{
    internal const string LoaderName = "LogisticRegression";
    internal const int Version = 1;

    private readonly double[] _coefficients;

    internal LogisticRegressionModel(IEnumerable<string> featureNames, double intercept, double[] coefficients, double lambda)
    {
        FeatureNames = [.. featureNames];
        if (FeatureNames.Length != coefficients.Length)
            throw new ArgumentException($"{FeatureNames.Length} feature names for {coefficients.Length} coefficients.", nameof(featureNames));
        Intercept = intercept;
        _coefficients = coefficients;
        L2Regularization = lambda;
    }

    /// <summary>The intercept b0 of the log-odds (0 when it was not fitted).</summary>
    public double Intercept { get; }

    /// <summary>One log-odds coefficient per feature, on the original scale; 0 for a column that was constant when fitting.</summary>
    public IReadOnlyList<double> Coefficients => _coefficients;

    /// <summary>The feature names, in the order of <see cref="Coefficients"/>.</summary>
    public ImmutableArray<string> FeatureNames { get; }

    /// <summary>The ridge penalty λ the model was fitted with.</summary>
    public double L2Regularization { get; }

    /// <inheritdoc />
    public int FeatureCount => _coefficients.Length;

    /// <inheritdoc />
    public string ComponentName => LoaderName;

    /// <inheritdoc />
    public int ComponentVersion => Version;

    /// <summary>The log-odds b0 + xᵀβ of one row.</summary>
    public double PredictLogOdds(ReadOnlySpan<double> features) => FeatureRow.Linear(Intercept, _coefficients, features);

    /// <inheritdoc />
    public double PredictProbability(ReadOnlySpan<double> features) => LogisticMath.Sigmoid(PredictLogOdds(features));

    /// <inheritdoc />
    public void Save(IModelWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStrings(FeatureNames);
        writer.WriteDouble(Intercept);
        writer.WriteDoubles(_coefficients);
        writer.WriteDouble(L2Regularization);
    }

    internal static LogisticRegressionModel Load(IModelReader reader)
    {
        var names = reader.ReadStrings();
        var intercept = reader.ReadDouble();
        var coefficients = reader.ReadDoubles();
        var lambda = reader.ReadDouble();
        if (names.Length != coefficients.Length)
            throw new ModelFileException($"{LoaderName}: {names.Length} names for {coefficients.Length} coefficients.");
        return new LogisticRegressionModel(names, intercept, coefficients, lambda);
    }
}
