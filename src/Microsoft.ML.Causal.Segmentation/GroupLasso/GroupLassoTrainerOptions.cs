namespace Microsoft.ML.Causal.Segmentation.GroupLasso;

/// <summary>
/// The options of <c>ctx.Segmentation.GroupLasso</c>: the columns read, the penalty (λ, α) and the solver's
/// options. Every value has a default; they are checked when the estimator is created (names) and when it fits.
/// </summary>
public sealed record GroupLassoTrainerOptions
{
    /// <summary>The response column: numeric 0/1 or Boolean (default <c>Response</c>).</summary>
    public string ResponseColumnName { get; init; } = "Response";

    /// <summary>
    /// The column naming the segment each row's creative was designed for: Text, Key or numeric (default
    /// <c>DesignedSegment</c>). Every creative must belong to exactly one segment.
    /// </summary>
    /// <remarks>
    /// Segments (and creatives) are the values present in the column, numbered in key order for a Key column,
    /// in ordinal order for Text (so <c>segment10</c> precedes <c>segment2</c>) and in numeric order for numbers
    /// (named by their invariant-culture text). That numbering is the order of <c>SegmentScores</c>' slots and of
    /// <c>Segment</c>'s key values.
    /// </remarks>
    public string SegmentColumnName { get; init; } = "DesignedSegment";

    /// <summary>The column naming the creative shown to each row: Text, Key or numeric (default <c>Creative</c>).</summary>
    public string CreativeColumnName { get; init; } = "Creative";

    /// <summary>The feature vector, Vector&lt;Double&gt; (default <c>Features</c>).</summary>
    public string FeatureColumnName { get; init; } = "Features";

    /// <summary>An optional numeric weight column (finite, ≥ 0; a weight acts as a row count); null (default) for unit weights.</summary>
    public string? WeightColumnName { get; init; }

    /// <summary>
    /// λ, the penalty's strength (finite, ≥ 0); null (default) chooses (α, λ) by cross-validation with
    /// <see cref="GroupLassoSegmenter.CrossValidate"/> under <see cref="Solver"/>'s folds, path and rule.
    /// </summary>
    public double? Lambda { get; init; }

    /// <summary>
    /// α, the share of the penalty on the centres' ℓ1 norm, in [0, 1] (in [0, 1) when cross-validating). Null
    /// (default): with a fixed <see cref="Lambda"/>, 0.25; when cross-validating, every α of
    /// <see cref="GroupLassoOptions.Alphas"/> is tried. A value given with <see cref="Lambda"/> null cross-validates
    /// λ at that α only.
    /// </summary>
    public double? Alpha { get; init; }

    /// <summary>
    /// The seed of the cross-validation folds; null (default) takes the seed the context derives for this
    /// step. It replaces <see cref="GroupLassoOptions.Seed"/> of <see cref="Solver"/>.
    /// </summary>
    public int? Seed { get; init; }

    /// <summary>The solver's options (tolerance, iterations, path, folds, rule, threads); default <c>new GroupLassoOptions()</c>.</summary>
    public GroupLassoOptions Solver { get; init; } = new();

    /// <summary>The α used with a fixed λ when <see cref="Alpha"/> is null.</summary>
    public const double DefaultAlpha = 0.25;
}
