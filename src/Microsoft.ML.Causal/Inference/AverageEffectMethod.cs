namespace Microsoft.ML.Causal.Inference;

/// <summary>How <see cref="AverageEffectEstimator"/> estimates an average effect (the CLI's <c>--method</c> in brackets).</summary>
public enum AverageEffectMethod
{
    /// <summary>
    /// Augmented inverse-propensity weighting (<c>aipw</c>), doubly robust: the mean of AIPW scores built from
    /// cross-fitted outcome models μ̂ₐ and propensities ê. Consistent when either nuisance is, and √n-normal when
    /// both converge fast enough (the product of their errors is o(n^−½)). The default.
    /// </summary>
    Aipw,

    /// <summary>
    /// Normalized inverse-propensity weighting (<c>ipw</c>, Hájek): in each of the two arms, the mean of Y weighted
    /// by h(x)/ê_W(x), h the estimand's target weight. Needs only propensities; unbiased when they are known.
    /// </summary>
    Ipw,

    /// <summary>
    /// The difference of the arms' (row-weighted) mean outcomes (<c>difference</c>). Uses neither features nor
    /// propensities, so it is unbiased only when treatment is randomized with the same probability for every row;
    /// then the ATE, ATT, ATC and overlap-weighted effect coincide and it returns this one contrast for each.
    /// </summary>
    DifferenceInMeans,

    /// <summary>
    /// Regression adjustment (<c>regression</c>): cross-fitted outcome models per arm, and the mean of
    /// μ̂ₐ(x) − μ̂_c(x) over the target population (all rows, the arm's rows, the control rows, or all rows weighted
    /// by the overlap weight). Its standard error comes from the efficient influence function, which needs propensities.
    /// </summary>
    RegressionAdjustment,
}
