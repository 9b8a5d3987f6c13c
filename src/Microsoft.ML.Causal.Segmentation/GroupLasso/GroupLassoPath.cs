namespace Microsoft.ML.Causal.Segmentation.GroupLasso;

/// <summary>
/// The solutions along a decreasing, log-spaced sequence of λ at one α, from λ_max (the smallest λ at which
/// every penalized part is 0: all δⱼₖ, and all centre slopes γⱼ when α &gt; 0), each warm-started from the
/// previous one; with the path of every creative's deviation ‖δⱼₖ‖₂ and the support sizes.
/// </summary>
public sealed class GroupLassoPath
{
    internal GroupLassoPath(double alpha, double lambdaMax, double[] lambdas, GroupLassoModel[] models)
    {
        Alpha = alpha;
        LambdaMax = lambdaMax;
        Lambdas = lambdas;
        Models = models;
        var c = models[0].Creatives.Count;
        var deviations = new double[models.Length][];
        var fused = new int[models.Length];
        var support = new int[models.Length];
        for (var s = 0; s < models.Length; s++)
        {
            deviations[s] = new double[c];
            for (var k = 0; k < c; k++)
                deviations[s][k] = models[s].Creatives[k].Deviation;
            fused[s] = models[s].FusedCount;
            support[s] = models[s].CentreSupport;
        }
        Deviations = deviations;
        FusedCounts = fused;
        CentreSupportSizes = support;
    }

    /// <summary>α of the path.</summary>
    public double Alpha { get; }

    /// <summary>λ_max from the KKT conditions at the null model.</summary>
    public double LambdaMax { get; }

    /// <summary>The λ values, decreasing (the first is λ_max).</summary>
    public IReadOnlyList<double> Lambdas { get; }

    /// <summary>The fitted model at each λ.</summary>
    public IReadOnlyList<GroupLassoModel> Models { get; }

    /// <summary>‖δⱼₖ‖₂ (standardized scale) per λ (outer) and creative (inner).</summary>
    public IReadOnlyList<IReadOnlyList<double>> Deviations { get; }

    /// <summary>Creatives fused to their centre, per λ.</summary>
    public IReadOnlyList<int> FusedCounts { get; }

    /// <summary>Non-zero centre slopes over all segments, per λ.</summary>
    public IReadOnlyList<int> CentreSupportSizes { get; }
}
