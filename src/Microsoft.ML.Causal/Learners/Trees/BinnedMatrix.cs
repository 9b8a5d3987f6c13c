namespace Microsoft.ML.Causal.Learners.Trees;

/// <summary>
/// Features quantile-binned to bytes, column-major (one contiguous array per feature, so a histogram pass over
/// one feature streams through its column), shared by every tree learner and every subset of rows fitted on.
/// Bin 0 is the missing bin.
/// </summary>
internal sealed class BinnedMatrix
{
    private BinnedMatrix(FeatureBinning[] binnings, byte[][] columns, int rowCount)
    {
        Binnings = binnings;
        Columns = columns;
        RowCount = rowCount;
    }

    public FeatureBinning[] Binnings { get; }

    /// <summary>Per feature, the bin of every row.</summary>
    public byte[][] Columns { get; }

    public int RowCount { get; }

    public int FeatureCount => Binnings.Length;

    /// <summary>Rows binned per task: 8192 rows × 20 features of doubles is 1.3 MB, read once in row order.</summary>
    private const int Block = 8192;

    /// <summary>
    /// Bins every column of <paramref name="features"/>: the sampled rows are read once for all columns, each
    /// column's bounds are placed in parallel over columns, then blocks of rows are binned in parallel, each
    /// block reading its rows in order (the values are row-major) and writing every column. The result does not
    /// depend on threads.
    /// </summary>
    public static BinnedMatrix Build(FeatureMatrix features, int maxBins)
    {
        if (maxBins is < 2 or > 255)
            throw new ArgumentOutOfRangeException(nameof(maxBins), maxBins, "The number of bins must be between 2 and 255.");
        var n = features.RowCount;
        var p = features.ColumnCount;
        var binnings = new FeatureBinning[p];
        var columns = new byte[p][];
        var step = Math.Max(1, n / FeatureBinning.SampleSize);
        var sampled = n == 0 ? 0 : (n - 1) / step + 1;
        var samples = new double[p][];
        var kept = new int[p];
        for (var j = 0; j < p; j++)
            samples[j] = new double[sampled];
        var values = features.Values;
        for (var i = 0; i < n; i += step)
        {
            var row = values.Slice(i * p, p);
            for (var j = 0; j < p; j++)
            {
                var v = row[j];
                if (!double.IsNaN(v))
                    samples[j][kept[j]++] = v;
            }
        }
        Parallel.For(0, p, j =>
        {
            var sorted = samples[j].AsSpan(0, kept[j]);
            sorted.Sort();
            binnings[j] = FeatureBinning.Fit(sorted, maxBins);
            columns[j] = GC.AllocateUninitializedArray<byte>(n);
        });
        Parallel.For(0, (n + Block - 1) / Block, block =>
        {
            var values = features.Values;
            var end = Math.Min(n, (block + 1) * Block);
            for (var i = block * Block; i < end; i++)
            {
                var row = values.Slice(i * p, p);
                for (var j = 0; j < p; j++)
                    columns[j][i] = binnings[j].BinOf(row[j]);
            }
        });
        return new BinnedMatrix(binnings, columns, n);
    }
}
