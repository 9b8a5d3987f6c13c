namespace Microsoft.ML.Causal.Forests;

/// <summary>
/// What a fitted forest model's payload holds, in bytes as the model file stores them (before the zip's
/// compression; the CATE header and any bootstrap replicates are not counted). Scoring needs only
/// <see cref="Trees"/> and <see cref="LeafStatistics"/>; <c>Compact()</c> drops the rest.
/// </summary>
/// <param name="Trees">The splits of every tree (features, thresholds, bins, missing-value directions, children, gains) and each leaf's size.</param>
/// <param name="LeafStatistics">Each leaf's sufficient statistics, which every prediction averages.</param>
/// <param name="LeafRows">Each leaf's estimation rows (kept only with <see cref="ForestOptions.KeepLeafSamples"/>, for kernel weights).</param>
/// <param name="TrainingRows">Per training row: out-of-bag τ̂ and V̂, m̂ and ê, and for the binary forest the Monte-Carlo variance of τ̂ (for the analyses, not for scoring).</param>
public sealed record ForestModelSize(long Trees, long LeafStatistics, long LeafRows, long TrainingRows)
{
    /// <summary>The sum of the parts.</summary>
    public long Total => Trees + LeafStatistics + LeafRows + TrainingRows;

    /// <summary>Bytes of a stored array of <paramref name="count"/> elements of <paramref name="size"/> bytes (a 4-byte length, then the elements).</summary>
    internal static long Array(long count, int size) => 4 + count * size;
}
