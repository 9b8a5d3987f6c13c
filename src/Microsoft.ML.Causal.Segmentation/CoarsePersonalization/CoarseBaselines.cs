namespace Microsoft.ML.Causal.Segmentation.CoarsePersonalization;

/// <summary>
/// The baselines coarse personalization is compared with (Zhang and Misra's comparisons; definitions reconstructed):
/// segmenting on characteristics (k-means on standardized covariates), on preferences (k-means on the response vectors
/// πᵢ(·)), each segment getting the level with the largest total profit in it; the best K-subset of a prespecified coarse grid;
/// the best single level; and full personalization (the upper bound). All take the profit matrix the decision is made on
/// (estimated in practice) and are scored on the truth with <see cref="CoarseEvaluation"/>.
/// </summary>
public static class CoarseBaselines
{
    /// <summary>Everybody gets the level with the largest total profit (ties to the lowest level).</summary>
    public static CoarsePolicy BestSingleLevel(ProfitMatrix profits)
    {
        ArgumentNullException.ThrowIfNull(profits);
        var level = System.Numerics.Tensors.TensorPrimitives.IndexOfMax(profits.LevelTotals());
        var rowLevels = new int[profits.RowCount];
        rowLevels.AsSpan().Fill(level);
        return CoarsePolicy.Create("BestSingleLevel", profits, rowLevels, [], [], null, 0, []);
    }

    /// <summary>Everybody gets their own best level (ties to the lowest): the upper bound, with as many levels as it needs.</summary>
    public static CoarsePolicy FullPersonalization(ProfitMatrix profits)
    {
        ArgumentNullException.ThrowIfNull(profits);
        var rowLevels = new int[profits.RowCount];
        for (var i = 0; i < rowLevels.Length; i++)
            rowLevels[i] = System.Numerics.Tensors.TensorPrimitives.IndexOfMax(profits.Row(i));
        return CoarsePolicy.Create("FullPersonalization", profits, rowLevels, [], [], null, 0, []);
    }

    /// <summary>
    /// Segmenting on characteristics: k-means with K clusters on the covariates standardized to mean 0 and variance 1 (constant
    /// columns dropped), each cluster offered the level with its largest total profit.
    /// </summary>
    /// <param name="profits">The profit matrix (N rows).</param>
    /// <param name="covariates">Row-major N × <paramref name="dimensions"/> finite covariates.</param>
    /// <param name="dimensions">Covariates per row (≥ 1).</param>
    /// <param name="k">K, the number of clusters, in [1, M].</param>
    /// <param name="seed">The k-means seed.</param>
    /// <exception cref="ArgumentException">K is out of range, or the covariates do not match the rows or are not finite.</exception>
    public static CoarsePolicy CovariateKMeans(ProfitMatrix profits, ReadOnlySpan<double> covariates, int dimensions, int k, int seed = 0)
    {
        CoarseChecks.LevelCount("CoarseBaselines.CovariateKMeans", profits, k);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimensions);
        var n = profits.RowCount;
        if (covariates.Length != (long)n * dimensions)
            throw new ArgumentException($"CoarseBaselines.CovariateKMeans: {covariates.Length} covariate values for {n} rows × {dimensions} dimensions.", nameof(covariates));
        var standardized = new double[n * dimensions];
        for (var j = 0; j < dimensions; j++)
        {
            double mean = 0, square = 0;
            for (var i = 0; i < n; i++)
            {
                var v = covariates[i * dimensions + j];
                if (!double.IsFinite(v))
                    throw new ArgumentException($"CoarseBaselines.CovariateKMeans: covariate {j} of row {i} is {v}; covariates must be finite.", nameof(covariates));
                mean += v;
            }
            mean /= n;
            for (var i = 0; i < n; i++)
                square += (covariates[i * dimensions + j] - mean) * (covariates[i * dimensions + j] - mean);
            var sd = Math.Sqrt(square / n);
            for (var i = 0; i < n; i++)
                standardized[i * dimensions + j] = sd > 0 ? (covariates[i * dimensions + j] - mean) / sd : 0;
        }
        return FromClusters("CovariateKMeans", profits, KMeansClustering.Cluster(standardized, n, dimensions, k, seed), k);
    }

    /// <summary>Segmenting on preferences: k-means with K clusters on the response vectors (the rows of the profit matrix), each cluster offered the level with its largest total profit.</summary>
    public static CoarsePolicy ResponseKMeans(ProfitMatrix profits, int k, int seed = 0)
    {
        CoarseChecks.LevelCount("CoarseBaselines.ResponseKMeans", profits, k);
        return FromClusters("ResponseKMeans", profits, KMeansClustering.Cluster(profits.Values, profits.RowCount, profits.LevelCount, k, seed), k);
    }

    /// <summary>
    /// Searching a prespecified grid: the best subset of at most K levels of <paramref name="grid"/> (all of it when it has ≤ K
    /// levels), each person taking their best offered level.
    /// </summary>
    public static CoarsePolicy PrespecifiedGrid(ProfitMatrix profits, int k, IReadOnlyList<int> grid)
    {
        ArgumentNullException.ThrowIfNull(grid);
        CoarseChecks.LevelCount("CoarseBaselines.PrespecifiedGrid", profits, k);
        if (grid.Count == 0)
            throw new ArgumentException("CoarseBaselines.PrespecifiedGrid: the grid is empty.", nameof(grid));
        var policy = BruteForceSolver.Solve(profits, Math.Min(k, grid.Count), grid);
        var rowLevels = new int[profits.RowCount];
        for (var i = 0; i < rowLevels.Length; i++)
            rowLevels[i] = policy.LevelOf(i);
        return CoarsePolicy.Create("PrespecifiedGrid", profits, rowLevels, [.. policy.Levels], [], null, 0, []);
    }

    /// <summary>The evenly spread coarse grid of <paramref name="count"/> levels out of M (both ends included), e.g. 0, 10, 20, … % out of 0, 5, 10, … %.</summary>
    public static int[] EvenGrid(int levels, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(levels);
        if (count < 1 || count > levels)
            throw new ArgumentOutOfRangeException(nameof(count), count, $"The grid must have between 1 and {levels} levels.");
        return count == 1 ? [0] : [.. Enumerable.Range(0, count).Select(q => (int)Math.Round((double)q * (levels - 1) / (count - 1))).Distinct()];
    }

    private static CoarsePolicy FromClusters(string method, ProfitMatrix profits, int[] labels, int k)
    {
        var m = profits.LevelCount;
        var totals = new double[k * m];
        for (var i = 0; i < labels.Length; i++)
        {
            var t = totals.AsSpan(labels[i] * m, m);
            System.Numerics.Tensors.TensorPrimitives.Add(t, profits.Row(i), t);
        }
        var best = new int[k];
        for (var c = 0; c < k; c++)
            best[c] = System.Numerics.Tensors.TensorPrimitives.IndexOfMax(totals.AsSpan(c * m, m));
        var rowLevels = new int[labels.Length];
        for (var i = 0; i < labels.Length; i++)
            rowLevels[i] = best[labels[i]];
        return CoarsePolicy.Create(method, profits, rowLevels, [], [], null, 0, []);
    }
}
