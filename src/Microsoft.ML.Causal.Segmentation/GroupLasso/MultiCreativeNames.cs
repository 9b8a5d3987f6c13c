namespace Microsoft.ML.Causal.Segmentation.GroupLasso;

/// <summary>
/// Names used in messages and outputs of the group-lasso segmentation: the columns (response, creative,
/// segment, weight), and optionally one name per feature, segment and creative (defaults: <c>x0, x1, …</c>,
/// <c>segment0, …</c>, <c>creative0, …</c>).
/// </summary>
public sealed record MultiCreativeNames
{
    /// <summary>The default names.</summary>
    public static MultiCreativeNames Default { get; } = new();

    /// <summary>The response column's name (default <c>response</c>).</summary>
    public string Response { get; init; } = "response";

    /// <summary>The creative column's name (default <c>creative</c>).</summary>
    public string Creative { get; init; } = "creative";

    /// <summary>The segment column's name (default <c>segment</c>).</summary>
    public string Segment { get; init; } = "segment";

    /// <summary>The weight column's name (default <c>weight</c>).</summary>
    public string Weight { get; init; } = "weight";

    /// <summary>One name per feature, or null for <c>x0, x1, …</c>.</summary>
    public IReadOnlyList<string>? Features { get; init; }

    /// <summary>One name per segment, or null for <c>segment0, …</c>.</summary>
    public IReadOnlyList<string>? Segments { get; init; }

    /// <summary>One name per creative, or null for <c>creative0, …</c>.</summary>
    public IReadOnlyList<string>? Creatives { get; init; }

    /// <summary>The name of feature <paramref name="index"/>.</summary>
    public string FeatureName(int index) => Features?[index] ?? $"x{index}";

    /// <summary>The name of segment <paramref name="index"/>.</summary>
    public string SegmentName(int index) => Segments?[index] ?? $"segment{index}";

    /// <summary>The name of creative <paramref name="index"/>.</summary>
    public string CreativeName(int index) => Creatives?[index] ?? $"creative{index}";

    internal void Check(int features, int segments, int creatives)
    {
        CheckCount(Features, features, nameof(Features));
        CheckCount(Segments, segments, nameof(Segments));
        CheckCount(Creatives, creatives, nameof(Creatives));
    }

    private static void CheckCount(IReadOnlyList<string>? names, int count, string what)
    {
        if (names is not null && names.Count != count)
            throw new ArgumentException($"{names.Count} {what.ToLowerInvariant()} names are given for {count} {what.ToLowerInvariant()}.", what);
    }
}
