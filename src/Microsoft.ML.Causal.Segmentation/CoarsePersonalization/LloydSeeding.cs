namespace Microsoft.ML.Causal.Segmentation.CoarsePersonalization;

/// <summary>How <see cref="LloydSolver"/> picks each restart's K starting levels.</summary>
public enum LloydSeeding
{
    /// <summary>
    /// k-means++ adapted to profits: on a random sample of persons, the first level is the best level tᵢ* of a person
    /// drawn uniformly; each further level is the best level of a person drawn with probability proportional to their
    /// regret maxⱼ πᵢ(t_j) − max_{s ∈ S} πᵢ(s) under the levels S chosen so far. Regret plays the role of k-means++'s D²:
    /// near a person's optimum πᵢ(t*) − πᵢ(t) ≈ bᵢ(t − t*)², a weighted squared distance.
    /// </summary>
    ProfitPlusPlus,

    /// <summary>K distinct levels drawn uniformly.</summary>
    Uniform,
}
