namespace Microsoft.ML.Causal.Learners.Linear;

/// <summary>
/// Options of <see cref="ElasticNetRegressionLearner"/>, in glmnet's parametrization: on features standardized to
/// weighted mean 0 and weighted standard deviation 1 (divisor Σw), the learner minimizes
/// (1 / (2 Σw)) Σ_i w_i (y_i − b0 − x̃_iᵀβ̃)² + λ [(1 − α)/2 ‖β̃‖² + α ‖β̃‖₁]; the intercept is not penalized.
/// With α = 0 this is the ridge of <see cref="LeastSquaresOptions"/> with the same λ.
/// </summary>
public sealed record ElasticNetOptions
{
    /// <summary>The mixing α in [0, 1]: 1 (default) is the lasso, 0 is ridge.</summary>
    public double Alpha { get; init; } = 1;

    /// <summary>
    /// The penalty λ ≥ 0. Null (default) fits the whole path and picks the λ with the smallest
    /// <see cref="CrossValidationFolds"/>-fold cross-validated mean squared error.
    /// </summary>
    public double? Lambda { get; init; }

    /// <summary>Number of λ values on the path, log-spaced from λ_max down to λ_max·<see cref="LambdaMinRatio"/>. Default 100.</summary>
    public int PathLength { get; init; } = 100;

    /// <summary>
    /// The smallest λ on the path as a share of λ_max, in (0, 1). Null (default) means 1e-4 when there are at least
    /// as many rows with positive weight as features, 1e-2 otherwise.
    /// </summary>
    public double? LambdaMinRatio { get; init; }

    /// <summary>
    /// Convergence: coordinate descent stops when a full sweep changes no standardized coefficient by more than
    /// Tolerance × the weighted standard deviation of the label. Default 1e-7.
    /// </summary>
    public double Tolerance { get; init; } = 1e-7;

    /// <summary>Most coordinate-descent sweeps per λ (full and active-set sweeps together). Default 10 000.</summary>
    public int MaxIterations { get; init; } = 10_000;

    /// <summary>Folds of the cross-validation that picks λ when <see cref="Lambda"/> is null. Default 5.</summary>
    public int CrossValidationFolds { get; init; } = 5;

    /// <summary>The seed of the fold assignment; null takes the fit context's seed.</summary>
    public int? Seed { get; init; }

    internal void Validate(string learner)
    {
        static void Check(bool ok, string learner, string what)
        {
            if (!ok)
                throw new ArgumentOutOfRangeException(nameof(ElasticNetOptions), $"{learner}: {what}");
        }
        Check(Alpha is >= 0 and <= 1, learner, $"Alpha is {Alpha}; it must be in [0, 1].");
        Check(Lambda is null || (Lambda >= 0 && double.IsFinite(Lambda.Value)), learner, $"Lambda is {Lambda}; it must be finite and ≥ 0, or null to cross-validate.");
        Check(PathLength >= 1, learner, $"PathLength is {PathLength}; it must be at least 1.");
        Check(LambdaMinRatio is null || LambdaMinRatio is > 0 and < 1, learner, $"LambdaMinRatio is {LambdaMinRatio}; it must be in (0, 1).");
        Check(Tolerance > 0 && double.IsFinite(Tolerance), learner, $"Tolerance is {Tolerance}; it must be finite and > 0.");
        Check(MaxIterations >= 1, learner, $"MaxIterations is {MaxIterations}; it must be at least 1.");
        Check(CrossValidationFolds >= 2, learner, $"CrossValidationFolds is {CrossValidationFolds}; it must be at least 2.");
    }
}
