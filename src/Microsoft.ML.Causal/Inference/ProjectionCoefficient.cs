namespace Microsoft.ML.Causal.Inference;

/// <summary>One coefficient of a forest analysis regression (calibration test, best linear projection).</summary>
/// <param name="Name">The regressor: "(Intercept)", a covariate's name, "MeanForestPrediction" or "DifferentialForestPrediction".</param>
/// <param name="Estimate">The coefficient.</param>
/// <param name="StandardError">Its robust (HC3, or cluster-robust) standard error.</param>
/// <param name="TStatistic">Estimate / StandardError (0 when the standard error is 0).</param>
/// <param name="PValue">From Student's t on n − p degrees of freedom: two-sided for a projection, one-sided (against a coefficient ≤ 0) for the calibration test; 1 when the standard error is 0.</param>
public sealed record ProjectionCoefficient(string Name, double Estimate, double StandardError, double TStatistic, double PValue);
