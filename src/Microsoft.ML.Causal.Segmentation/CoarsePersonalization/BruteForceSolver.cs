namespace Microsoft.ML.Causal.Segmentation.CoarsePersonalization;

/// <summary>
/// The exact coarse policy by enumeration: tries every K-subset of the candidate levels (all M levels by default) and
/// assigns each person to their best offered level. Subsets are visited in lexicographic order with running per-person
/// maxima, so each subset costs O(N); the total is O(C(M, K)·N). Meant for validation on small M, and with a candidate
/// list for the "best K-subset of a prespecified grid" baseline. Ties go to the first subset in lexicographic order.
/// </summary>
public static class BruteForceSolver
{
    private const string Component = "BruteForceSolver";

    /// <summary>Largest C(|candidates|, K)·N accepted (about a minute of work).</summary>
    public const double MaximumWork = 2e10;

    /// <summary>Finds the K candidate levels with the largest total profit when every person takes their best offered level.</summary>
    /// <param name="profits">The profit matrix.</param>
    /// <param name="k">K, in [1, number of candidates].</param>
    /// <param name="candidateLevels">The levels to choose from (distinct column indices); null for all M levels.</param>
    /// <exception cref="ArgumentException">K or a candidate is out of range, a candidate repeats, or the enumeration exceeds <see cref="MaximumWork"/>.</exception>
    public static CoarsePolicy Solve(ProfitMatrix profits, int k, IReadOnlyList<int>? candidateLevels = null)
    {
        ArgumentNullException.ThrowIfNull(profits);
        var candidates = candidateLevels?.ToArray() ?? [.. Enumerable.Range(0, profits.LevelCount)];
        var seen = new bool[profits.LevelCount];
        foreach (var c in candidates)
        {
            if ((uint)c >= (uint)profits.LevelCount)
                throw new ArgumentException($"{Component}: candidate level {c} is outside [0, {profits.LevelCount}).", nameof(candidateLevels));
            if (seen[c])
                throw new ArgumentException($"{Component}: candidate level {profits.LevelNames[c]} is listed twice.", nameof(candidateLevels));
            seen[c] = true;
        }
        if (k < 1 || k > candidates.Length)
            throw new ArgumentOutOfRangeException(nameof(k), k, $"{Component}: K must be between 1 and the {candidates.Length} candidate levels; found {k}.");
        var subsets = Binomial(candidates.Length, k);
        if (subsets * profits.RowCount > MaximumWork)
            throw new ArgumentException($"{Component}: C({candidates.Length}, {k}) = {subsets:G3} subsets × {profits.RowCount} rows is too much to enumerate; use LloydSolver.", nameof(k));
        var n = profits.RowCount;
        var running = new double[(k + 1) * n];
        running.AsSpan(0, n).Fill(double.NegativeInfinity);
        var choice = new int[k];
        var bestChoice = new int[k];
        var bestValue = double.NegativeInfinity;
        Enumerate(profits, candidates, 0, 0, choice, running, bestChoice, ref bestValue);
        var chosen = bestChoice.Select(a => candidates[a]).ToArray();
        var rowLevels = new int[n];
        for (var i = 0; i < n; i++)
            rowLevels[i] = LloydSweep.BestOf(profits.Row(i), chosen);
        return CoarsePolicy.Create("BruteForce", profits, rowLevels, chosen, [], null, 0, []);
    }

    private static void Enumerate(ProfitMatrix profits, int[] candidates, int depth, int start, int[] choice, double[] running, int[] bestChoice, ref double bestValue)
    {
        var n = profits.RowCount;
        var k = choice.Length;
        var previous = running.AsSpan(depth * n, n);
        var current = running.AsSpan((depth + 1) * n, n);
        var values = profits.Values;
        var m = profits.LevelCount;
        for (var a = start; a <= candidates.Length - (k - depth); a++)
        {
            choice[depth] = a;
            var level = candidates[a];
            var total = 0.0;
            for (var i = 0; i < n; i++)
            {
                current[i] = Math.Max(previous[i], values[i * m + level]);
                total += current[i];
            }
            if (depth + 1 < k)
                Enumerate(profits, candidates, depth + 1, a + 1, choice, running, bestChoice, ref bestValue);
            else if (total > bestValue)
            {
                bestValue = total;
                choice.CopyTo(bestChoice, 0);
            }
        }
    }

    private static double Binomial(int n, int k)
    {
        var result = 1.0;
        for (var j = 1; j <= k; j++)
            result = result * (n - k + j) / j;
        return result;
    }
}
