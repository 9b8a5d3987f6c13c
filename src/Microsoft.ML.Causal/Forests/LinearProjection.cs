using System.Collections.Immutable;
using Microsoft.ML.Causal.Inference;

namespace Microsoft.ML.Causal.Forests;

/// <summary>
/// grf's <c>best_linear_projection</c> for one effect: the least-squares projection of the doubly robust scores Γᵢ
/// on (1, Aᵢ) for chosen covariates A, with HC3 (or cluster-robust) standard errors and two-sided p-values. It
/// estimates the best linear approximation of τ(x) in A; with no covariates, the intercept is the AIPW ATE.
/// </summary>
/// <param name="Effect">The effect's name (the non-control arm).</param>
/// <param name="Coefficients">"(Intercept)" first, then one per covariate in the order asked.</param>
public sealed record LinearProjection(string Effect, ImmutableArray<ProjectionCoefficient> Coefficients);
