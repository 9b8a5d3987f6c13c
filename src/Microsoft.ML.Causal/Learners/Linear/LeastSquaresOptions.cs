namespace Microsoft.ML.Causal.Learners.Linear;

/// <summary>
/// Options of <see cref="LeastSquaresRegressionLearner"/>. The penalty is glmnet's ridge (α = 0) parametrization on
/// standardized features: the learner minimizes
/// (1 / (2 Σw)) Σ_i w_i (y_i − b0 − x̃_iᵀβ̃)² + (λ / 2) ‖β̃‖², where x̃ are the features centered on their weighted
/// means and divided by their weighted standard deviations (divisor Σw). On the original scale this solves
/// (X_cᵀ W X_c + λ·Σw·D²) β = X_cᵀ W y_c, with X_c, y_c weight-centered and D = diag(weighted sd of each feature);
/// the intercept is never penalized. The same λ in the elastic net with α = 0 gives the same fit.
/// </summary>
public sealed record LeastSquaresOptions
{
    /// <summary>The ridge penalty λ ≥ 0 in the scaling above; 0 (default) is ordinary (weighted) least squares with HC1 standard errors.</summary>
    public double L2Regularization { get; init; }

    /// <summary>
    /// Fit an intercept (default true). Without one, features are not centered; they are divided by their weighted
    /// root mean square, and the penalty applies to coefficients on that scale.
    /// </summary>
    public bool FitIntercept { get; init; } = true;

    /// <summary>
    /// For ordinary least squares (λ = 0): leave out, with coefficient 0 and variance 0, every column that is a linear
    /// combination of earlier columns (and the intercept) on the rows fitted on — e.g. the last one-hot column of a
    /// category — and log them, instead of raising an error (default false: collinear columns are an error naming them).
    /// Predictions on rows that obey the same linear relations are unchanged.
    /// </summary>
    public bool DropCollinearColumns { get; init; }

    internal void Validate(string learner)
    {
        if (!(L2Regularization >= 0 && double.IsFinite(L2Regularization)))
            throw new ArgumentOutOfRangeException(nameof(LeastSquaresOptions), $"{learner}: L2Regularization is {L2Regularization}; it must be finite and ≥ 0.");
    }
}
