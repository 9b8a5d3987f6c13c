using System.Collections.Immutable;
using Microsoft.ML.Causal.Persistence;

namespace Microsoft.ML.Causal.Learners.Linear;

/// <summary>
/// A fitted linear regression: prediction = <see cref="Intercept"/> + Σ_j <see cref="Coefficients"/>[j]·x_j, on the
/// original (unstandardized) feature scale. A NaN feature gives a NaN prediction.
/// </summary>
public sealed class LinearRegressionModel : IRegressionModel
{
    internal const string LoaderName = "LinearRegression";
    internal const int Version = 1;

    private readonly double[] _coefficients;
    private readonly double[]? _covariance;

    internal LinearRegressionModel(IEnumerable<string> featureNames, double intercept, double[] coefficients, double lambda, double alpha, double[]? covariance)
    {
        FeatureNames = [.. featureNames];
        if (FeatureNames.Length != coefficients.Length)
            throw new ArgumentException($"{FeatureNames.Length} feature names for {coefficients.Length} coefficients.", nameof(featureNames));
        var k = coefficients.Length + 1;
        if (covariance is not null && covariance.Length != k * k)
            throw new ArgumentException($"The covariance has {covariance.Length} values; {k}×{k} are needed.", nameof(covariance));
        Intercept = intercept;
        _coefficients = coefficients;
        Lambda = lambda;
        Alpha = alpha;
        _covariance = covariance;
        if (covariance is not null)
            StandardErrors = [.. Enumerable.Range(0, k).Select(i => Math.Sqrt(Math.Max(0, covariance[i * k + i])))];
    }

    /// <summary>The intercept b0 (0 when it was not fitted).</summary>
    public double Intercept { get; }

    /// <summary>One coefficient per feature, on the original scale; 0 for a column that was constant when fitting.</summary>
    public IReadOnlyList<double> Coefficients => _coefficients;

    /// <summary>The feature names, in the order of <see cref="Coefficients"/>.</summary>
    public ImmutableArray<string> FeatureNames { get; }

    /// <summary>The penalty λ the model was fitted with (0 for ordinary least squares).</summary>
    public double Lambda { get; }

    /// <summary>The elastic-net mixing α of the penalty (0: ridge, 1: lasso); 0 for least squares.</summary>
    public double Alpha { get; }

    /// <summary>
    /// For ordinary least squares (λ = 0): the HC1 heteroskedasticity-robust covariance of (intercept, coefficients)
    /// on the original scale, (p + 1) × (p + 1), intercept first. Rows and columns of parameters that were not
    /// estimated (the intercept when not fitted, constant columns) are 0. Null for penalized fits. Each read returns a copy.
    /// </summary>
    public double[,]? Covariance
    {
        get
        {
            if (_covariance is null)
                return null;
            var k = _coefficients.Length + 1;
            var v = new double[k, k];
            for (var i = 0; i < k; i++)
            {
                for (var j = 0; j < k; j++)
                    v[i, j] = _covariance[i * k + j];
            }
            return v;
        }
    }

    /// <summary>Square roots of the diagonal of <see cref="Covariance"/> (intercept first), or null when there is none.</summary>
    public IReadOnlyList<double>? StandardErrors { get; }

    /// <inheritdoc />
    public int FeatureCount => _coefficients.Length;

    /// <inheritdoc />
    public string ComponentName => LoaderName;

    /// <inheritdoc />
    public int ComponentVersion => Version;

    /// <inheritdoc />
    public double Predict(ReadOnlySpan<double> features) => FeatureRow.Linear(Intercept, _coefficients, features);

    /// <inheritdoc />
    public void Save(IModelWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStrings(FeatureNames);
        writer.WriteDouble(Intercept);
        writer.WriteDoubles(_coefficients);
        writer.WriteDouble(Lambda);
        writer.WriteDouble(Alpha);
        writer.WriteBoolean(_covariance is not null);
        if (_covariance is not null)
            writer.WriteDoubles(_covariance);
    }

    internal static LinearRegressionModel Load(IModelReader reader)
    {
        var names = reader.ReadStrings();
        var intercept = reader.ReadDouble();
        var coefficients = reader.ReadDoubles();
        var lambda = reader.ReadDouble();
        var alpha = reader.ReadDouble();
        var covariance = reader.ReadBoolean() ? reader.ReadDoubles() : null;
        if (names.Length != coefficients.Length || (covariance is not null && covariance.Length != (coefficients.Length + 1) * (coefficients.Length + 1)))
            throw new ModelFileException($"{LoaderName}: {names.Length} names, {coefficients.Length} coefficients and {covariance?.Length ?? 0} covariance values do not match.");
        return new LinearRegressionModel(names, intercept, coefficients, lambda, alpha, covariance);
    }
}
