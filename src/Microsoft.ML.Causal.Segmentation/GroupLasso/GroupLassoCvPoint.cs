namespace Microsoft.ML.Causal.Segmentation.GroupLasso;

/// <summary>One point of the cross-validation curve.</summary>
/// <param name="Alpha">α.</param>
/// <param name="Lambda">λ (from the path of α on all rows).</param>
/// <param name="LambdaIndex">The position of λ on that path.</param>
/// <param name="MeanDeviance">The held-out binomial deviance per unit weight, −2 Σ w[y log p + (1−y) log(1−p)] / Σ w, averaged over the folds.</param>
/// <param name="StandardError">The standard error of that mean over the folds (standard deviation / √K).</param>
public sealed record GroupLassoCvPoint(double Alpha, double Lambda, int LambdaIndex, double MeanDeviance, double StandardError);
