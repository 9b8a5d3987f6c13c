using System.Numerics.Tensors;
using Microsoft.ML.Causal.Numerics;
using Microsoft.ML.Causal.Persistence;

namespace Microsoft.ML.Causal.Segmentation.GroupLasso;

/// <summary>
/// A fitted group-lasso segmentation at one (λ, α): each segment's centre γⱼ, each creative's response model
/// βⱼₖ = γⱼ + δⱼₖ (with whether it is fused to its centre and by how much it deviates), all on the original
/// feature scale. A person's score for segment j is γⱼ₀ + γⱼᵀx (the centre's log-odds of a response) and the
/// person is assigned to the segment with the largest score (the lowest index on ties). Immutable and safe to
/// use from many threads. Savable (component <c>GroupLassoModel</c>); a loaded model scores bit-identically.
/// </summary>
public sealed class GroupLassoModel : ISavableModel
{
    internal const string LoaderName = "GroupLassoModel";
    internal const int Version = 1;

    internal GroupLassoModel(double lambda, double alpha, int featureCount, IReadOnlyList<string> featureNames, SegmentCentre[] segments,
        CreativeResponse[] creatives, double objective, double kktResidual, bool converged, int iterations)
    {
        Lambda = lambda;
        Alpha = alpha;
        FeatureCount = featureCount;
        FeatureNames = featureNames;
        Segments = segments;
        Creatives = creatives;
        Objective = objective;
        KktResidual = kktResidual;
        Converged = converged;
        Iterations = iterations;
    }

    /// <summary>λ, the penalty's overall strength.</summary>
    public double Lambda { get; }

    /// <summary>α, the share of the penalty on the centres' ℓ1 norm (1 − α on the creatives' deviations).</summary>
    public double Alpha { get; }

    /// <summary>p, the number of features a person is described by.</summary>
    public int FeatureCount { get; }

    /// <summary>The features' names.</summary>
    public IReadOnlyList<string> FeatureNames { get; }

    /// <summary>The segments' centres, by segment index.</summary>
    public IReadOnlyList<SegmentCentre> Segments { get; }

    /// <summary>The creatives' response models, by creative index.</summary>
    public IReadOnlyList<CreativeResponse> Creatives { get; }

    /// <summary>The penalized objective at the solution (normalized loss plus penalty, on the training rows).</summary>
    public double Objective { get; }

    /// <summary>
    /// The largest KKT residual over the segments, relative to the largest gradient (a coordinate of γ or a group
    /// norm of δₖ) of the intercept-only model; the solver stops at <see cref="GroupLassoOptions.Tolerance"/>.
    /// </summary>
    public double KktResidual { get; }

    /// <summary>Whether every segment's solve met the tolerance within the iteration limit.</summary>
    public bool Converged { get; }

    /// <summary>The most iterations a segment needed (FISTA iterations, or majorization steps: see <see cref="GroupLassoOptions.Solver"/>).</summary>
    public int Iterations { get; }

    /// <summary>Creatives fused to their centre (δⱼₖ = 0).</summary>
    public int FusedCount => Creatives.Count(c => c.Fused);

    /// <summary>Non-zero centre slopes over all segments.</summary>
    public int CentreSupport => Segments.Sum(s => s.Support);

    /// <summary>The score of a person with features <paramref name="x"/> for segment <paramref name="segment"/>: γⱼ₀ + γⱼᵀx.</summary>
    /// <exception cref="ArgumentException"><paramref name="x"/> has the wrong length or a value that is not finite.</exception>
    public double SegmentScore(ReadOnlySpan<double> x, int segment)
    {
        Check(x);
        var s = Segments[segment];
        return s.Intercept + Dot(s.Coefficients, x);
    }

    /// <summary>Writes the person's score for every segment into <paramref name="scores"/> (length m).</summary>
    /// <exception cref="ArgumentException">A length is wrong or a feature is not finite.</exception>
    public void SegmentScores(ReadOnlySpan<double> x, Span<double> scores)
    {
        Check(x);
        if (scores.Length != Segments.Count)
            throw new ArgumentException($"The scores span has {scores.Length} values; the model has {Segments.Count} segments.", nameof(scores));
        for (var j = 0; j < Segments.Count; j++)
            scores[j] = Segments[j].Intercept + Dot(Segments[j].Coefficients, x);
    }

    /// <summary>The segment the person is assigned to: argmaxⱼ (γⱼ₀ + γⱼᵀx), the lowest index on ties.</summary>
    /// <exception cref="ArgumentException"><paramref name="x"/> has the wrong length or a value that is not finite.</exception>
    public int AssignSegment(ReadOnlySpan<double> x)
    {
        Check(x);
        var best = 0;
        var bestScore = double.NegativeInfinity;
        for (var j = 0; j < Segments.Count; j++)
        {
            var score = Segments[j].Intercept + Dot(Segments[j].Coefficients, x);
            if (score > bestScore)
            {
                best = j;
                bestScore = score;
            }
        }
        return best;
    }

    /// <summary>The predicted response probability of the person to creative <paramref name="creative"/>: σ(βⱼₖ₀ + βⱼₖᵀx).</summary>
    /// <exception cref="ArgumentException"><paramref name="x"/> has the wrong length or a value that is not finite.</exception>
    public double PredictResponse(ReadOnlySpan<double> x, int creative)
    {
        Check(x);
        var c = Creatives[creative];
        return LogisticMath.Sigmoid(c.Intercept + Dot(c.Coefficients, x));
    }

    /// <summary>Writes the predicted response probability to every creative into <paramref name="responses"/> (length C).</summary>
    /// <exception cref="ArgumentException">A length is wrong or a feature is not finite.</exception>
    public void PredictResponses(ReadOnlySpan<double> x, Span<double> responses)
    {
        Check(x);
        if (responses.Length != Creatives.Count)
            throw new ArgumentException($"The responses span has {responses.Length} values; the model has {Creatives.Count} creatives.", nameof(responses));
        for (var c = 0; c < Creatives.Count; c++)
            responses[c] = LogisticMath.Sigmoid(Creatives[c].Intercept + Dot(Creatives[c].Coefficients, x));
    }

    /// <inheritdoc />
    public string ComponentName => LoaderName;

    /// <inheritdoc />
    public int ComponentVersion => Version;

    /// <inheritdoc />
    public void Save(IModelWriter writer) => GroupLassoModelFormat.Write(this, writer);

    internal static GroupLassoModel Load(IModelReader reader) => GroupLassoModelFormat.Read(reader);

    private void Check(ReadOnlySpan<double> x)
    {
        if (x.Length != FeatureCount)
            throw new ArgumentException($"The person has {x.Length} features; the model was fitted on {FeatureCount}.", nameof(x));
        for (var l = 0; l < x.Length; l++)
        {
            if (!double.IsFinite(x[l]))
                throw new ArgumentException($"Feature '{FeatureNames[l]}' is {x[l]}; the group-lasso model needs finite features.", nameof(x));
        }
    }

    private static double Dot(IReadOnlyList<double> coefficients, ReadOnlySpan<double> x) =>
        coefficients is double[] array ? TensorPrimitives.Dot(array, x) : Slow(coefficients, x);

    private static double Slow(IReadOnlyList<double> coefficients, ReadOnlySpan<double> x)
    {
        double s = 0;
        for (var l = 0; l < x.Length; l++)
            s += coefficients[l] * x[l];
        return s;
    }
}
