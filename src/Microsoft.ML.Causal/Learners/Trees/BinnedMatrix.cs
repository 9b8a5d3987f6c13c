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

    /// <summary>Bins every column of <paramref name="features"/>, in parallel over columns (the result does not depend on threads).</summary>
    public static BinnedMatrix Build(FeatureMatrix features, int maxBins)
    {
        if (maxBins is < 2 or > 255)
            throw new ArgumentOutOfRangeException(nameof(maxBins), maxBins, "The number of bins must be between 2 and 255.");
        var n = features.RowCount;
        var p = features.ColumnCount;
        var binnings = new FeatureBinning[p];
        var columns = new byte[p][];
        var step = Math.Max(1, n / FeatureBinning.SampleSize);
        Parallel.For(0, p, j =>
        {
            var values = features.Values;
            var sample = new List<double>(Math.Min(n, FeatureBinning.SampleSize + 1));
            for (var i = 0; i < n; i += step)
            {
                var v = values[i * p + j];
                if (!double.IsNaN(v))
                    sample.Add(v);
            }
            var sorted = sample.ToArray();
            Array.Sort(sorted);
            var binning = FeatureBinning.Fit(sorted, maxBins);
            var column = new byte[n];
            for (var i = 0; i < n; i++)
                column[i] = binning.BinOf(values[i * p + j]);
            binnings[j] = binning;
            columns[j] = column;
        });
        return new BinnedMatrix(binnings, columns, n);
    }
}
