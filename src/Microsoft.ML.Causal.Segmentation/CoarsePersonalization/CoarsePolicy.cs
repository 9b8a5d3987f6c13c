namespace Microsoft.ML.Causal.Segmentation.CoarsePersonalization;

/// <summary>
/// A coarse policy on a profit matrix: the offered levels (at most K distinct columns of the matrix, ascending) and,
/// per person, the segment they are assigned to (segment s gets level <see cref="Levels"/>[s]), with the total profit
/// on the matrix it was computed from. Immutable.
/// </summary>
public sealed class CoarsePolicy
{
    private readonly int[] _levels;
    private readonly int[] _segments;
    private readonly int[] _counts;
    private readonly double[] _prices;

    private CoarsePolicy(string method, int[] levels, int[] segments, int[] counts, double profit, IReadOnlyList<string> levelNames,
        double[] prices, double? dualObjective, int iterations, double[] restartProfits)
    {
        Method = method;
        _levels = levels;
        _segments = segments;
        _counts = counts;
        Profit = profit;
        LevelNames = levelNames;
        _prices = prices;
        DualObjective = dualObjective;
        Iterations = iterations;
        RestartProfits = restartProfits;
    }

    /// <summary>The method that produced the policy (e.g. "Lloyd", "BruteForce", "CovariateKMeans").</summary>
    public string Method { get; }

    /// <summary>The offered levels: distinct column indices of the profit matrix, ascending.</summary>
    public IReadOnlyList<int> Levels => _levels;

    /// <summary>The names of the offered levels (from <see cref="ProfitMatrix.LevelNames"/>), in the order of <see cref="Levels"/>.</summary>
    public IReadOnlyList<string> LevelNames { get; }

    /// <summary>Per person, the segment assigned: an index into <see cref="Levels"/>.</summary>
    public IReadOnlyList<int> Segments => _segments;

    /// <summary>Number of persons per segment.</summary>
    public IReadOnlyList<int> Counts => _counts;

    /// <summary>The total profit Σᵢ πᵢ(level of i) on the matrix the policy was computed on.</summary>
    public double Profit { get; }

    /// <summary>
    /// With share constraints, the optimal dual prices φ (one per segment) of the semi-discrete transport dual: every person
    /// is in a segment s maximizing πᵢ(s) − φ_s. Empty when the assignment had no share constraints.
    /// </summary>
    public IReadOnlyList<double> Prices => _prices;

    /// <summary>With share constraints, the dual objective at <see cref="Prices"/> (equal to <see cref="Profit"/> up to rounding, which certifies optimality); otherwise null.</summary>
    public double? DualObjective { get; }

    /// <summary>Alternation sweeps of the returned solution (Lloyd); 0 for methods without iterations.</summary>
    public int Iterations { get; }

    /// <summary>For Lloyd, the profit each restart converged to, in restart order; empty otherwise.</summary>
    public IReadOnlyList<double> RestartProfits { get; }

    /// <summary>Number of persons N.</summary>
    public int RowCount => _segments.Length;

    /// <summary>The share of persons per segment (<see cref="Counts"/> / N).</summary>
    public IReadOnlyList<double> Shares => [.. _counts.Select(c => (double)c / _segments.Length)];

    /// <summary>The matrix column (level) assigned to person <paramref name="row"/>.</summary>
    public int LevelOf(int row) => _levels[_segments[row]];

    /// <summary>
    /// The policy that gives person i the level <paramref name="rowLevels"/>[i] (a column of <paramref name="profits"/>);
    /// the offered levels are the distinct values used. Use it to wrap an assignment computed elsewhere.
    /// </summary>
    /// <param name="profits">The matrix the profit is computed on.</param>
    /// <param name="rowLevels">Per person, a level index in [0, M).</param>
    /// <param name="method">A name for the method.</param>
    /// <exception cref="ArgumentException">The length differs from N or a level is out of range.</exception>
    public static CoarsePolicy FromLevels(ProfitMatrix profits, ReadOnlySpan<int> rowLevels, string method = "Custom")
    {
        ArgumentNullException.ThrowIfNull(profits);
        return Create(method, profits, rowLevels, [], [], null, 0, []);
    }

    /// <summary>
    /// The same offered levels applied to other persons (e.g. held-out or new customers): each row of <paramref name="profits"/>
    /// gets the offered level maximizing πᵢ(s) − φ_s, with φ the <see cref="Prices"/> when the policy was solved under share
    /// constraints (then the shares hold on the new rows only approximately) and 0 otherwise; ties go to the lower level.
    /// </summary>
    /// <param name="profits">The new rows' profits at the same levels (same names, same order) as the matrix the policy was computed on.</param>
    /// <exception cref="ArgumentException">The matrix has other levels.</exception>
    public CoarsePolicy Apply(ProfitMatrix profits)
    {
        ArgumentNullException.ThrowIfNull(profits);
        if (profits.LevelCount <= _levels[^1] || !LevelNames.Select((name, s) => profits.LevelNames[_levels[s]] == name).All(same => same))
            throw new ArgumentException($"CoarsePolicy.Apply: the matrix's levels ({string.Join(", ", profits.LevelNames)}) do not include the policy's levels ({string.Join(", ", LevelNames)}) at the same columns.", nameof(profits));
        var rowLevels = new int[profits.RowCount];
        for (var i = 0; i < rowLevels.Length; i++)
            rowLevels[i] = _levels[BestOffered(profits.Row(i), _levels, _prices)];
        var pricesByLevel = new double[_prices.Length == 0 ? 0 : profits.LevelCount];
        for (var s = 0; s < _prices.Length; s++)
            pricesByLevel[_levels[s]] = _prices[s];
        return Create(Method, profits, rowLevels, _levels, pricesByLevel, null, 0, []);
    }

    /// <summary>The segment s maximizing <paramref name="row"/>[levels[s]] − prices[s] (prices empty: 0), the first on ties.</summary>
    internal static int BestOffered(ReadOnlySpan<double> row, ReadOnlySpan<int> levels, ReadOnlySpan<double> prices)
    {
        var best = 0;
        var bestValue = double.NegativeInfinity;
        for (var s = 0; s < levels.Length; s++)
        {
            var value = row[levels[s]] - (prices.IsEmpty ? 0 : prices[s]);
            if (value > bestValue)
            {
                best = s;
                bestValue = value;
            }
        }
        return best;
    }

    /// <summary>
    /// The policy giving row i the level <paramref name="rowLevels"/>[i]; the offered levels are those used plus
    /// <paramref name="offered"/> (Lloyd keeps K levels even when one ends up unused).
    /// </summary>
    internal static CoarsePolicy Create(string method, ProfitMatrix profits, ReadOnlySpan<int> rowLevels, ReadOnlySpan<int> offered,
        ReadOnlySpan<double> pricesByLevel, double? dualObjective, int iterations, double[] restartProfits)
    {
        if (rowLevels.Length != profits.RowCount)
            throw new ArgumentException($"CoarsePolicy: {rowLevels.Length} assigned levels for {profits.RowCount} rows.", nameof(rowLevels));
        var m = profits.LevelCount;
        var used = new int[m];
        for (var i = 0; i < rowLevels.Length; i++)
        {
            var level = rowLevels[i];
            if ((uint)level >= (uint)m)
                throw new ArgumentException($"CoarsePolicy: row {i} is assigned level {level}, outside [0, {m}).", nameof(rowLevels));
            used[level]++;
        }
        return Build(method, profits, rowLevels, used, pricesByLevel, dualObjective, iterations, restartProfits, offered);
    }

    private static CoarsePolicy Build(string method, ProfitMatrix profits, ReadOnlySpan<int> rowLevels, int[] used, ReadOnlySpan<double> pricesByLevel,
        double? dualObjective, int iterations, double[] restartProfits, ReadOnlySpan<int> offered)
    {
        var m = profits.LevelCount;
        var offer = new bool[m];
        foreach (var level in offered)
            offer[level] = true;
        var segmentOf = new int[m];
        var levels = new List<int>();
        for (var j = 0; j < m; j++)
        {
            segmentOf[j] = -1;
            if (used[j] > 0 || offer[j])
            {
                segmentOf[j] = levels.Count;
                levels.Add(j);
            }
        }
        var segments = new int[rowLevels.Length];
        var counts = new int[levels.Count];
        var profit = 0.0;
        for (var i = 0; i < segments.Length; i++)
        {
            segments[i] = segmentOf[rowLevels[i]];
            counts[segments[i]]++;
            profit += profits[i, rowLevels[i]];
        }
        var prices = new double[pricesByLevel.IsEmpty ? 0 : levels.Count];
        for (var s = 0; s < prices.Length; s++)
            prices[s] = pricesByLevel[levels[s]];
        var names = levels.Select(j => profits.LevelNames[j]).ToArray();
        return new CoarsePolicy(method, [.. levels], segments, counts, profit, names, prices, dualObjective, iterations, restartProfits);
    }
}
