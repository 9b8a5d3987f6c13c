using Microsoft.ML.Causal.Data;

namespace Microsoft.ML.Causal.Simulation;

/// <summary>
/// A multi-creative experiment simulated by <see cref="CreativeExperimentSimulation.Generate"/>: the people's
/// features (row-major), the creative each was shown, the responses, and the truth (centres γⱼ, deviations
/// δⱼₖ, which creatives deviate, each person's true segment).
/// </summary>
public sealed class CreativeExperiment
{
    internal CreativeExperiment(double[] features, int featureCount, double[] responses, int[] creatives, int[] creativeSegments,
        double[] centreIntercepts, double[][] centres, double[][] deviations, bool[] deviates, int[] trueSegments)
    {
        Features = features;
        FeatureCount = featureCount;
        Responses = responses;
        Creatives = creatives;
        CreativeSegments = creativeSegments;
        TrueCentreIntercepts = centreIntercepts;
        TrueCentres = centres;
        TrueDeviations = deviations;
        Deviates = deviates;
        TrueSegments = trueSegments;
    }

    /// <summary>People.</summary>
    public int RowCount => Responses.Length;

    /// <summary>p.</summary>
    public int FeatureCount { get; }

    /// <summary>m.</summary>
    public int SegmentCount => TrueCentres.Count;

    /// <summary>C, creatives over all segments.</summary>
    public int CreativeCount => CreativeSegments.Count;

    /// <summary>Row-major features: row i is <c>Features[i·p … i·p + p)</c>.</summary>
    public ReadOnlyMemory<double> Features { get; }

    /// <summary>The 0/1 responses.</summary>
    public ReadOnlyMemory<double> Responses { get; }

    /// <summary>The creative shown to each person (randomized uniformly).</summary>
    public ReadOnlyMemory<int> Creatives { get; }

    /// <summary>The segment of each creative.</summary>
    public IReadOnlyList<int> CreativeSegments { get; }

    /// <summary>True γⱼ₀ per segment.</summary>
    public IReadOnlyList<double> TrueCentreIntercepts { get; }

    /// <summary>True centre slopes γⱼ per segment.</summary>
    public IReadOnlyList<IReadOnlyList<double>> TrueCentres { get; }

    /// <summary>True δⱼₖ per creative: intercept offset first, then one slope per feature.</summary>
    public IReadOnlyList<IReadOnlyList<double>> TrueDeviations { get; }

    /// <summary>Per creative, whether δⱼₖ ≠ 0 (the creative does not behave as its segment intends).</summary>
    public IReadOnlyList<bool> Deviates { get; }

    /// <summary>Each person's true segment, argmaxⱼ (γⱼ₀ + γⱼᵀx).</summary>
    public IReadOnlyList<int> TrueSegments { get; }

    /// <summary>The names of the feature columns of <see cref="ToDataView()"/>: <c>x1 … xp</c>.</summary>
    public IReadOnlyList<string> FeatureColumns => [.. Enumerable.Range(1, FeatureCount).Select(l => $"x{l}")];

    /// <summary>
    /// The people as a table: the features <c>x1 … xp</c> (Double), <c>Creative</c> (Text, <c>creative0 …</c>),
    /// <c>DesignedSegment</c> (Text, the segment the creative was designed for, <c>segment0 …</c>) and <c>Response</c>
    /// (Double, 0 or 1). The truth is not in the table.
    /// </summary>
    public InMemoryDataView ToDataView() => ToDataView(0, RowCount);

    /// <summary>
    /// Rows <paramref name="start"/> … <paramref name="start"/> + <paramref name="count"/> − 1 as a table with the columns of
    /// <see cref="ToDataView()"/>, the features, segments and creatives optionally named (e.g. for a sample); the truth of
    /// row r of the table is that of person <paramref name="start"/> + r. Since people are drawn one after another after
    /// the truth, <c>Generate(n + h, seed)</c>'s rows n … n + h − 1 are h further people of <c>Generate(n, seed)</c>'s experiment.
    /// </summary>
    /// <param name="start">The first person.</param>
    /// <param name="count">The number of people.</param>
    /// <param name="featureNames">p feature column names (default <see cref="FeatureColumns"/>).</param>
    /// <param name="segmentNames">m segment names (default <c>segment0 …</c>).</param>
    /// <param name="creativeNames">C creative names (default <c>creative0 …</c>), distinct.</param>
    /// <exception cref="ArgumentException">The range is outside the people, or a list of names has the wrong length.</exception>
    public InMemoryDataView ToDataView(int start, int count, IReadOnlyList<string>? featureNames = null, IReadOnlyList<string>? segmentNames = null,
        IReadOnlyList<string>? creativeNames = null)
    {
        if (start < 0 || count < 0 || start > RowCount - count)
            throw new ArgumentOutOfRangeException(nameof(count), $"Rows {start} … {start + count - 1} are outside the {RowCount} people.");
        featureNames ??= FeatureColumns;
        segmentNames ??= [.. Enumerable.Range(0, SegmentCount).Select(j => $"segment{j}")];
        creativeNames ??= [.. Enumerable.Range(0, CreativeCount).Select(c => $"creative{c}")];
        if (featureNames.Count != FeatureCount || segmentNames.Count != SegmentCount || creativeNames.Count != CreativeCount)
            throw new ArgumentException($"Give {FeatureCount} feature, {SegmentCount} segment and {CreativeCount} creative names; got {featureNames.Count}, {segmentNames.Count} and {creativeNames.Count}.");
        var p = FeatureCount;
        var builder = new InMemoryDataView.Builder().AddDoubleColumns(featureNames, Features.Span.Slice(start * p, count * p));
        var shown = Creatives.Span.Slice(start, count);
        var creative = new string?[count];
        var segment = new string?[count];
        for (var i = 0; i < count; i++)
        {
            creative[i] = creativeNames[shown[i]];
            segment[i] = segmentNames[CreativeSegments[shown[i]]];
        }
        return builder.AddText("Creative", creative).AddText("DesignedSegment", segment).AddDouble("Response", Responses.Span.Slice(start, count)).Build();
    }

    /// <summary>The true probability that a person with features <paramref name="x"/> responds to creative <paramref name="creative"/>: σ(βc₀ + βcᵀx), β = γ + δ.</summary>
    /// <exception cref="ArgumentException">The feature count is wrong.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The creative is out of range.</exception>
    public double TrueResponseProbability(ReadOnlySpan<double> x, int creative)
    {
        if (x.Length != FeatureCount)
            throw new ArgumentException($"Expected {FeatureCount} features, got {x.Length}.", nameof(x));
        ArgumentOutOfRangeException.ThrowIfNegative(creative);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(creative, CreativeCount);
        var j = CreativeSegments[creative];
        var delta = TrueDeviations[creative];
        var eta = TrueCentreIntercepts[j] + delta[0];
        for (var l = 0; l < x.Length; l++)
            eta += (TrueCentres[j][l] + delta[l + 1]) * x[l];
        return Numerics.LogisticMath.Sigmoid(eta);
    }

    /// <summary>The true segment of a person with features <paramref name="x"/>.</summary>
    public int TrueSegmentOf(ReadOnlySpan<double> x)
    {
        if (x.Length != FeatureCount)
            throw new ArgumentException($"Expected {FeatureCount} features, got {x.Length}.", nameof(x));
        return ArgMax(TrueCentreIntercepts, TrueCentres, x);
    }

    internal static int ArgMax(IReadOnlyList<double> intercepts, IReadOnlyList<IReadOnlyList<double>> centres, ReadOnlySpan<double> x)
    {
        var best = 0;
        var bestScore = double.NegativeInfinity;
        for (var j = 0; j < centres.Count; j++)
        {
            var s = intercepts[j];
            for (var l = 0; l < x.Length; l++)
                s += centres[j][l] * x[l];
            if (s > bestScore)
            {
                best = j;
                bestScore = s;
            }
        }
        return best;
    }
}
