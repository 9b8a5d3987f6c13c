namespace Microsoft.ML.Causal.Segmentation.CoarsePersonalization;

/// <summary>Boundary checks shared by the step-2 solvers.</summary>
internal static class CoarseChecks
{
    public static void LevelCount(string component, ProfitMatrix profits, int k)
    {
        ArgumentNullException.ThrowIfNull(profits);
        if (k < 1 || k > profits.LevelCount)
            throw new ArgumentOutOfRangeException(nameof(k), k,
                $"{component}: K (the number of levels to offer) must be between 1 and the matrix's {profits.LevelCount} levels; found {k}.");
    }

    /// <summary>
    /// Converts share bounds into person counts: ⌊ℓN⌋ ≤ n ≤ ⌈uN⌉ (a tolerance of 1e-9 person absorbs rounding of the shares),
    /// so counts meet the shares up to one person.
    /// </summary>
    public static (int[] Lower, int[] Upper) Counts(string component, int rows, int length, IReadOnlyList<double>? minimum, IReadOnlyList<double>? maximum, string what)
    {
        var lower = new int[length];
        var upper = new int[length];
        if (minimum is not null && minimum.Count != length)
            throw new ArgumentException($"{component}: {minimum.Count} minimum shares for {length} {what}.", "minimumShares");
        if (maximum is not null && maximum.Count != length)
            throw new ArgumentException($"{component}: {maximum.Count} maximum shares for {length} {what}.", "maximumShares");
        for (var k = 0; k < length; k++)
        {
            var lo = minimum?[k] ?? 0;
            var hi = maximum?[k] ?? 1;
            if (!(lo >= 0 && lo <= 1) || !(hi >= 0 && hi <= 1))
                throw new ArgumentOutOfRangeException("minimumShares", $"{component}: the shares of {what} {k} are [{lo}, {hi}]; shares must be numbers in [0, 1].");
            if (lo > hi)
                throw new ArgumentException($"{component}: the minimum share {lo} of {what} {k} exceeds its maximum share {hi}.", "minimumShares");
            lower[k] = (int)Math.Floor(lo * rows + 1e-9);
            upper[k] = (int)Math.Min(rows, Math.Ceiling(hi * rows - 1e-9));
        }
        return (lower, upper);
    }

    public static void Feasible(string component, int rows, ReadOnlySpan<int> lower, ReadOnlySpan<int> upper)
    {
        long lo = 0, hi = 0;
        for (var k = 0; k < lower.Length; k++)
        {
            lo += lower[k];
            hi += upper[k];
        }
        if (lo > rows)
            throw new ArgumentException($"{component}: the minimum shares of the offered levels add up to {(double)lo / rows:G6} > 1 ({lo} of {rows} persons); lower them so they sum to at most 1.");
        if (hi < rows)
            throw new ArgumentException($"{component}: the maximum shares of the offered levels add up to {(double)hi / rows:G6} < 1 (room for {hi} of {rows} persons); raise them so they sum to at least 1.");
    }

    public static int Threads(int maxDegreeOfParallelism) =>
        maxDegreeOfParallelism is -1 or 0 ? Environment.ProcessorCount : Math.Max(1, maxDegreeOfParallelism);
}
