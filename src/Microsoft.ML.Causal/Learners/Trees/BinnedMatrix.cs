namespace Microsoft.ML.Causal.Learners.Trees;

/// <summary>
/// Features quantile-binned to bytes, row-major (a row's bins are contiguous, so one pass over a row updates
/// every feature's histogram), shared by every tree learner and every subset of rows fitted on. Bin 0 is the
/// missing bin.
/// </summary>
internal sealed class BinnedMatrix
{
    private BinnedMatrix(FeatureBinning[] binnings, byte[] bins, int rowCount)
    {
        Binnings = binnings;
        Bins = bins;
        RowCount = rowCount;
    }

    public FeatureBinning[] Binnings { get; }

    /// <summary>The bin of row r, feature j at <c>r · FeatureCount + j</c>.</summary>
    public byte[] Bins { get; }

    public int RowCount { get; }

    public int FeatureCount => Binnings.Length;

    public byte this[int row, int feature] => Bins[row * Binnings.Length + feature];

    /// <summary>Bins every column of <paramref name="features"/>, in parallel over columns (the result does not depend on threads).</summary>
    public static BinnedMatrix Build(FeatureMatrix features, int maxBins)
    {
        if (maxBins is < 2 or > 255)
            throw new ArgumentOutOfRangeException(nameof(maxBins), maxBins, "The number of bins must be between 2 and 255.");
        var n = features.RowCount;
        var p = features.ColumnCount;
        var binnings = new FeatureBinning[p];
        var bins = new byte[(long)n * p];
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
            for (var i = 0; i < n; i++)
                bins[i * p + j] = binning.BinOf(values[i * p + j]);
            binnings[j] = binning;
        });
        return new BinnedMatrix(binnings, bins, n);
    }
}
