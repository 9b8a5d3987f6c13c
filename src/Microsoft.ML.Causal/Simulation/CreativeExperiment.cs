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

    /// <summary>The names of the feature columns of <see cref="ToDataView"/>: <c>x1 … xp</c>.</summary>
    public IReadOnlyList<string> FeatureColumns => [.. Enumerable.Range(1, FeatureCount).Select(l => $"x{l}")];

    /// <summary>
    /// The people as a table: the features <c>x1 … xp</c> (Double), <c>Creative</c> (Text, <c>creative0 …</c>),
    /// <c>DesignedSegment</c> (Text, the segment the creative was designed for, <c>segment0 …</c>) and <c>Response</c>
    /// (Double, 0 or 1). The truth is not in the table.
    /// </summary>
    public InMemoryDataView ToDataView()
    {
        var n = RowCount;
        var builder = new InMemoryDataView.Builder().AddDoubleColumns(FeatureColumns, Features.Span);
        var shown = Creatives.Span;
        var creative = new string?[n];
        var segment = new string?[n];
        for (var i = 0; i < n; i++)
        {
            creative[i] = $"creative{shown[i]}";
            segment[i] = $"segment{CreativeSegments[shown[i]]}";
        }
        return builder.AddText("Creative", creative).AddText("DesignedSegment", segment).AddDouble("Response", Responses.Span).Build();
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
