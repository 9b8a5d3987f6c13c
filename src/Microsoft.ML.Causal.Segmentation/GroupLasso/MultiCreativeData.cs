namespace Microsoft.ML.Causal.Segmentation.GroupLasso;

/// <summary>
/// A multi-creative experiment on plain arrays, checked once: a dense row-major feature matrix (shared, never
/// copied), a 0/1 response per row, the creative each person was shown, the segment each creative was designed
/// for, and optional sample weights. Creatives are numbered 0 … C−1 over all segments; segments 0 … m−1.
/// </summary>
public sealed class MultiCreativeData
{
    private const string Component = "GroupLasso";

    /// <summary>Checks and wraps the arrays (they are kept, not copied; do not change them afterwards).</summary>
    /// <param name="features">Row-major features: row i is <c>features[i·p … i·p + p)</c>; may be empty when <paramref name="featureCount"/> is 0 (an intercept-only, CTR model).</param>
    /// <param name="featureCount">p, the number of features (≥ 0).</param>
    /// <param name="responses">The response of each row, 0 or 1.</param>
    /// <param name="creatives">The creative shown to each row, in 0 … <c>creativeSegments.Length</c> − 1.</param>
    /// <param name="creativeSegments">For each creative, the segment it was designed for, in 0 … m − 1; every segment in that range has at least one creative.</param>
    /// <param name="weights">Optional sample weights (finite, ≥ 0), one per row; empty (the default) means 1 for every row.</param>
    /// <param name="names">Optional names for the features, segments, creatives and columns, used in messages and outputs.</param>
    /// <exception cref="DataValidationException">A feature is not finite, a response is not 0/1, a weight is negative or not finite, a creative index is out of range, or a creative has no rows of positive weight or only one response class; the message names the column and row (or the creative).</exception>
    /// <exception cref="ArgumentException">The array sizes do not agree or a segment has no creative.</exception>
    public MultiCreativeData(ReadOnlyMemory<double> features, int featureCount, ReadOnlyMemory<double> responses, ReadOnlyMemory<int> creatives,
        IReadOnlyList<int> creativeSegments, ReadOnlyMemory<double> weights = default, MultiCreativeNames? names = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(featureCount);
        ArgumentNullException.ThrowIfNull(creativeSegments);
        var n = responses.Length;
        if (n == 0)
            throw DataValidationException.Empty(Component, (names ?? MultiCreativeNames.Default).Response);
        if (creatives.Length != n)
            throw new ArgumentException($"There are {n} responses but {creatives.Length} creative indices; give one per row.", nameof(creatives));
        if ((long)n * featureCount != features.Length)
            throw new ArgumentException($"The feature matrix has {features.Length} values; {n} rows × {featureCount} features need {(long)n * featureCount}.", nameof(features));
        if (!weights.IsEmpty && weights.Length != n)
            throw new ArgumentException($"There are {n} responses but {weights.Length} weights; give one per row, or none for unit weights.", nameof(weights));
        if (creativeSegments.Count == 0)
            throw new ArgumentException("There must be at least one creative.", nameof(creativeSegments));
        var m = 0;
        for (var c = 0; c < creativeSegments.Count; c++)
        {
            if (creativeSegments[c] < 0)
                throw new ArgumentOutOfRangeException(nameof(creativeSegments), creativeSegments[c], $"Creative {c} has a negative segment index.");
            m = Math.Max(m, creativeSegments[c] + 1);
        }
        var perSegment = new int[m];
        foreach (var s in creativeSegments)
            perSegment[s]++;
        for (var j = 0; j < m; j++)
        {
            if (perSegment[j] == 0)
                throw new ArgumentException($"Segment {j} has no creative; number the segments 0 … m−1 without gaps.", nameof(creativeSegments));
        }
        Names = names ?? MultiCreativeNames.Default;
        Names.Check(featureCount, m, creativeSegments.Count);
        Features = features;
        FeatureCount = featureCount;
        Responses = responses;
        Creatives = creatives;
        CreativeSegments = [.. creativeSegments];
        Weights = weights.IsEmpty ? default(ReadOnlyMemory<double>?) : weights;
        SegmentCount = m;
        CreativeCountsPerSegment = perSegment;
        Validate();
    }

    /// <summary>Rows (people).</summary>
    public int RowCount => Responses.Length;

    /// <summary>p, the number of features.</summary>
    public int FeatureCount { get; }

    /// <summary>m, the number of segments.</summary>
    public int SegmentCount { get; }

    /// <summary>C, the number of creatives over all segments.</summary>
    public int CreativeCount => CreativeSegments.Length;

    /// <summary>The row-major feature matrix.</summary>
    public ReadOnlyMemory<double> Features { get; }

    /// <summary>The 0/1 responses.</summary>
    public ReadOnlyMemory<double> Responses { get; }

    /// <summary>The creative shown to each row.</summary>
    public ReadOnlyMemory<int> Creatives { get; }

    /// <summary>The segment of each creative.</summary>
    internal int[] CreativeSegments { get; }

    /// <summary>n_j, the number of creatives of each segment.</summary>
    internal int[] CreativeCountsPerSegment { get; }

    /// <summary>The sample weights, or null for unit weights.</summary>
    public ReadOnlyMemory<double>? Weights { get; }

    /// <summary>Names of the features, segments, creatives and columns.</summary>
    public MultiCreativeNames Names { get; }

    /// <summary>The segment creative <paramref name="creative"/> was designed for.</summary>
    public int SegmentOf(int creative) => CreativeSegments[creative];

    /// <summary>n_j, the number of creatives of segment <paramref name="segment"/>.</summary>
    public int CreativeCountOf(int segment) => CreativeCountsPerSegment[segment];

    /// <summary>The weight of row <paramref name="row"/> (1 without weights).</summary>
    internal double WeightAt(int row) => Weights is { } w ? w.Span[row] : 1.0;

    private void Validate()
    {
        var x = Features.Span;
        var y = Responses.Span;
        var cr = Creatives.Span;
        var p = FeatureCount;
        var c = CreativeCount;
        var ones = new double[c];
        var total = new double[c];
        var firstRow = new int[c];
        Array.Fill(firstRow, -1);
        for (var i = 0; i < y.Length; i++)
        {
            var row = x.Slice(i * p, p);
            for (var l = 0; l < p; l++)
            {
                if (!double.IsFinite(row[l]))
                {
                    throw DataValidationException.NotFinite(Component, Names.FeatureName(l), i, row[l],
                        "The group-lasso model needs finite features: replace missing values first (ctx.Transforms.ReplaceMissingValues).");
                }
            }
            if (y[i] is not (0.0 or 1.0))
            {
                throw new DataValidationException(Component, Names.Response, i, $"the response is {y[i].ToString("R", System.Globalization.CultureInfo.InvariantCulture)}, not 0 or 1.",
                    "Code the response as 1 (responded, e.g. clicked) or 0 (did not).");
            }
            if (cr[i] < 0 || cr[i] >= c)
                throw new DataValidationException(Component, Names.Creative, i, $"the creative index is {cr[i]}, outside 0 … {c - 1}.", "Number the creatives 0 … C−1 and list each one's segment.");
            var w = WeightAt(i);
            if (!(w >= 0 && double.IsFinite(w)))
                throw new DataValidationException(Component, Names.Weight, i, $"the weight is {w.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}; weights must be finite and ≥ 0.", "Fix or drop the row's weight.");
            if (w > 0)
            {
                total[cr[i]] += w;
                ones[cr[i]] += w * y[i];
                if (firstRow[cr[i]] < 0)
                    firstRow[cr[i]] = i;
            }
        }
        for (var k = 0; k < c; k++)
        {
            var label = $"creative '{Names.CreativeName(k)}' (segment '{Names.SegmentName(CreativeSegments[k])}')";
            if (total[k] == 0)
                throw new DataValidationException(Component, Names.Creative, null, $"{label} has no rows of positive weight.", "Drop the creative from the design or give it data.");
            if (ones[k] == 0 || ones[k] == total[k])
            {
                throw new DataValidationException(Component, Names.Creative, firstRow[k],
                    $"{label} has only responses {(ones[k] == 0 ? 0 : 1)} in column '{Names.Response}' (the row named is its first); its response model cannot be estimated.",
                    "Collect more data for the creative or drop it.");
            }
        }
    }
}
