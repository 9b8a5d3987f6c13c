using Microsoft.ML.Causal.Inference;

namespace Microsoft.ML.Causal.Forests;

/// <summary>
/// grf's <c>test_calibration</c> of a causal forest: the no-intercept regression of Y − m̂(x) on
/// (W − ê(x))·τ̄ and (W − ê(x))·(τ̂(x) − τ̄), τ̂ out of bag and τ̄ their weighted mean. A mean coefficient near 1
/// says the average prediction is right; a differential coefficient near 1 says the heterogeneity is well
/// calibrated, and its one-sided p-value tests for heterogeneity (H₀: coefficient ≤ 0).
/// </summary>
/// <param name="MeanForestPrediction">The coefficient of (W − ê)·τ̄, with its one-sided p-value.</param>
/// <param name="DifferentialForestPrediction">The coefficient of (W − ê)(τ̂ − τ̄), with its one-sided p-value.</param>
public sealed record CalibrationTest(ProjectionCoefficient MeanForestPrediction, ProjectionCoefficient DifferentialForestPrediction);
