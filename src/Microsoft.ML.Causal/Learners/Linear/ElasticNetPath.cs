namespace Microsoft.ML.Causal.Learners.Linear;

/// <summary>
/// The elastic-net solutions along a decreasing sequence of λ values (from λ_max, where every coefficient is 0),
/// on the original feature scale, with the cross-validated error of each λ when it was computed.
/// </summary>
/// <param name="Alpha">The mixing α of the path.</param>
/// <param name="Lambdas">The λ values, decreasing.</param>
/// <param name="Intercepts">The intercept at each λ.</param>
/// <param name="Coefficients">The coefficients at each λ (one list per λ, one value per feature).</param>
/// <param name="CrossValidationErrors">The weighted mean squared error of held-out rows at each λ, pooled over the folds; null when not computed.</param>
/// <param name="SelectedIndex">The index of the λ with the smallest cross-validated error (the largest such λ on ties); 0 without cross-validation.</param>
public sealed record ElasticNetPath(
    double Alpha,
    IReadOnlyList<double> Lambdas,
    IReadOnlyList<double> Intercepts,
    IReadOnlyList<IReadOnlyList<double>> Coefficients,
    IReadOnlyList<double>? CrossValidationErrors,
    int SelectedIndex)
{
    /// <summary>The λ at <see cref="SelectedIndex"/>.</summary>
    public double SelectedLambda => Lambdas[SelectedIndex];
}
