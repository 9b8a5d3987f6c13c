namespace Microsoft.ML.Causal.Learners.Linear;

/// <summary>
/// Options of <see cref="LogisticRegressionLearner"/>. On features standardized to weighted mean 0 and weighted
/// standard deviation 1 (divisor Σw), the learner minimizes the weighted mean log loss plus a ridge penalty,
/// (1 / Σw) Σ_i w_i [log(1 + e^{η_i}) − y_i η_i] + (λ / 2) ‖β̃‖², η_i = b0 + x̃_iᵀβ̃ — glmnet's scaling for the binomial
/// family with α = 0. The intercept is never penalized.
/// </summary>
public sealed record LogisticRegressionOptions
{
    /// <summary>
    /// The ridge penalty λ ≥ 0. Default 1e-4: small enough to leave well-posed fits practically unchanged (it acts
    /// like about 1e-4·n pseudo-observations' worth of shrinkage per standardized coefficient), large enough that
    /// the coefficients stay finite when the classes are separable. With 0, perfectly separated classes are
    /// rejected with a <see cref="DataValidationException"/> because the maximum-likelihood coefficients are infinite.
    /// </summary>
    public double L2Regularization { get; init; } = 1e-4;

    /// <summary>
    /// Fit an intercept (default true). Without one, features are not centered; they are divided by their weighted
    /// root mean square.
    /// </summary>
    public bool FitIntercept { get; init; } = true;

    /// <summary>Newton's method stops when every component of the objective's gradient (standardized scale) is at most this. Default 1e-8.</summary>
    public double Tolerance { get; init; } = 1e-8;

    /// <summary>Most Newton steps. Default 100.</summary>
    public int MaxIterations { get; init; } = 100;

    internal void Validate(string learner)
    {
        static void Check(bool ok, string learner, string what)
        {
            if (!ok)
                throw new ArgumentOutOfRangeException(nameof(LogisticRegressionOptions), $"{learner}: {what}");
        }
        Check(L2Regularization >= 0 && double.IsFinite(L2Regularization), learner, $"L2Regularization is {L2Regularization}; it must be finite and ≥ 0.");
        Check(Tolerance > 0 && double.IsFinite(Tolerance), learner, $"Tolerance is {Tolerance}; it must be finite and > 0.");
        Check(MaxIterations >= 1, learner, $"MaxIterations is {MaxIterations}; it must be at least 1.");
    }
}
