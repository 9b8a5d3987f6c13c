namespace Microsoft.ML.Causal.Segmentation.CoarsePersonalization;

/// <summary>
/// Assigns persons to a given set of offered levels under share constraints ("at most 20 % get the deepest discount",
/// or fixed shares), maximizing the total profit exactly. The problem is the transportation LP
/// max Σᵢₖ πᵢ(s_k)·xᵢₖ s.t. Σₖ xᵢₖ = 1, L_k ≤ Σᵢ xᵢₖ ≤ U_k, x ≥ 0, whose semi-discrete dual is
/// min over φ ∈ ℝᴷ of g(φ) = Σᵢ maxₖ (πᵢ(s_k) − φ_k) + Σₖ h_k(φ_k), with h_k(φ) = U_k·φ for φ ≥ 0 and L_k·φ for φ &lt; 0
/// (convex, piecewise linear, a subgradient costs O(N·K)). Because the constraint matrix is totally unimodular there is an
/// integral optimum; it is computed primal–dual by successive shortest paths over the K offered levels (O(N·K² + N·K log N)),
/// which splits the persons tied at the dual's kinks so that the counts meet the bounds exactly. The optimal prices φ are then
/// recovered from the assignment (a shortest-path solve of the complementary-slackness difference constraints on K + 1 nodes)
/// and g(φ) is reported as a certificate: it equals the profit at the optimum.
/// </summary>
/// <remarks>
/// Shares are converted to person counts ⌊ℓ_k·N⌋ ≤ n_k ≤ ⌈u_k·N⌉, so every count is within one person of its share; fixed shares
/// (ℓ = u) summing to 1 are therefore always feasible.
/// </remarks>
public static class CapacitatedAssignment
{
    private const string Component = "CapacitatedAssignment";

    /// <summary>Assigns every person to one of <paramref name="levels"/> within the share bounds, maximizing the total profit.</summary>
    /// <param name="profits">The profit matrix.</param>
    /// <param name="levels">The offered levels: K distinct column indices of <paramref name="profits"/>.</param>
    /// <param name="minimumShares">Per offered level (in the order of <paramref name="levels"/>), the smallest share in [0, 1]; null for none.</param>
    /// <param name="maximumShares">Per offered level, the largest share in [0, 1]; null for none. Equal minimum and maximum shares fix the share.</param>
    /// <returns>The policy, with <see cref="CoarsePolicy.Prices"/> and <see cref="CoarsePolicy.DualObjective"/> set.</returns>
    /// <exception cref="ArgumentException">A level is out of range or repeated, a share is outside [0, 1] or its bounds cross, or the bounds cannot hold exactly N persons.</exception>
    public static CoarsePolicy Solve(ProfitMatrix profits, IReadOnlyList<int> levels, IReadOnlyList<double>? minimumShares = null,
        IReadOnlyList<double>? maximumShares = null)
    {
        ArgumentNullException.ThrowIfNull(profits);
        ArgumentNullException.ThrowIfNull(levels);
        CoarseChecks.LevelCount(Component, profits, levels.Count);
        var offered = new int[levels.Count];
        var seen = new bool[profits.LevelCount];
        for (var a = 0; a < offered.Length; a++)
        {
            var level = levels[a];
            if ((uint)level >= (uint)profits.LevelCount)
                throw new ArgumentException($"{Component}: offered level {level} is outside [0, {profits.LevelCount}).", nameof(levels));
            if (seen[level])
                throw new ArgumentException($"{Component}: level {profits.LevelNames[level]} is offered twice; offer distinct levels.", nameof(levels));
            seen[level] = true;
            offered[a] = level;
        }
        var (lower, upper) = CoarseChecks.Counts(Component, profits.RowCount, offered.Length, minimumShares, maximumShares, "offered level");
        CoarseChecks.Feasible(Component, profits.RowCount, lower, upper);
        var cell = new int[profits.RowCount];
        var (prices, dual) = Assign(profits, offered, lower, upper, cell, new TransportSolver(offered.Length, profits.RowCount));
        return ToPolicy("CapacitatedAssignment", profits, offered, cell, prices, dual, 0, []);
    }

    /// <summary>The policy of a transport solution: cells (indices into <paramref name="offered"/>) with their prices and dual objective.</summary>
    internal static CoarsePolicy ToPolicy(string method, ProfitMatrix profits, ReadOnlySpan<int> offered, ReadOnlySpan<int> cell, ReadOnlySpan<double> prices,
        double dual, int iterations, double[] restartProfits)
    {
        var rowLevels = new int[cell.Length];
        for (var i = 0; i < cell.Length; i++)
            rowLevels[i] = offered[cell[i]];
        var byLevel = new double[profits.LevelCount];
        for (var a = 0; a < offered.Length; a++)
            byLevel[offered[a]] = prices[a];
        return CoarsePolicy.Create(method, profits, rowLevels, offered, byLevel, dual, iterations, restartProfits);
    }

    /// <summary>The exact assignment into <paramref name="cell"/> (indices into <paramref name="offered"/>), its prices and dual objective.</summary>
    internal static (double[] Prices, double Dual) Assign(ProfitMatrix profits, ReadOnlySpan<int> offered, ReadOnlySpan<int> lower, ReadOnlySpan<int> upper,
        Span<int> cell, TransportSolver solver)
    {
        solver.Solve(profits, offered, lower, upper, cell);
        var prices = Prices(profits, offered, lower, upper, cell);
        return (prices, DualObjective(profits, offered, lower, upper, prices));
    }

    /// <summary>
    /// Prices φ satisfying complementary slackness with the assignment: φ_k − φ_l ≤ min_{j in k}(π_j(k) − π_j(l)), φ_k ≤ 0 where
    /// n_k &lt; U_k and φ_k ≥ 0 where n_k &gt; L_k — difference constraints solved by Bellman–Ford with node K fixed at 0.
    /// </summary>
    internal static double[] Prices(ProfitMatrix profits, ReadOnlySpan<int> offered, ReadOnlySpan<int> lower, ReadOnlySpan<int> upper, ReadOnlySpan<int> cell)
    {
        var k = offered.Length;
        var nodes = k + 1;
        var weight = new double[nodes * nodes];
        Array.Fill(weight, double.PositiveInfinity);
        var count = new int[k];
        var m = profits.LevelCount;
        for (var i = 0; i < cell.Length; i++)
        {
            var row = profits.Row(i);
            var a = cell[i];
            count[a]++;
            for (var b = 0; b < k; b++)
            {
                // φ_a − φ_b ≤ π(a) − π(b): edge b → a.
                if (b != a)
                    weight[b * nodes + a] = Math.Min(weight[b * nodes + a], row[offered[a]] - row[offered[b]]);
            }
        }
        for (var a = 0; a < k; a++)
        {
            if (count[a] < upper[a])
                weight[k * nodes + a] = Math.Min(weight[k * nodes + a], 0);
            if (count[a] > lower[a])
                weight[a * nodes + k] = Math.Min(weight[a * nodes + k], 0);
        }
        var distance = new double[nodes];
        for (var pass = 0; pass < nodes; pass++)
        {
            var changed = false;
            for (var u = 0; u < nodes; u++)
            {
                for (var v = 0; v < nodes; v++)
                {
                    var w = weight[u * nodes + v];
                    if (u != v && distance[u] + w < distance[v])
                    {
                        distance[v] = distance[u] + w;
                        changed = true;
                    }
                }
            }
            if (!changed)
                break;
        }
        var prices = new double[k];
        for (var a = 0; a < k; a++)
            prices[a] = distance[a] - distance[k];
        return prices;
    }

    /// <summary>g(φ) = Σᵢ maxₖ (πᵢ(s_k) − φ_k) + Σₖ h_k(φ_k), the semi-discrete dual (an upper bound on every feasible profit).</summary>
    internal static double DualObjective(ProfitMatrix profits, ReadOnlySpan<int> offered, ReadOnlySpan<int> lower, ReadOnlySpan<int> upper, ReadOnlySpan<double> prices)
    {
        var total = 0.0;
        for (var i = 0; i < profits.RowCount; i++)
        {
            var row = profits.Row(i);
            var best = double.NegativeInfinity;
            for (var a = 0; a < offered.Length; a++)
                best = Math.Max(best, row[offered[a]] - prices[a]);
            total += best;
        }
        for (var a = 0; a < offered.Length; a++)
            total += prices[a] * (prices[a] >= 0 ? upper[a] : lower[a]);
        return total;
    }
}
