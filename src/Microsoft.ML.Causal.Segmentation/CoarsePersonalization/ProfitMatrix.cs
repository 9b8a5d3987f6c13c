using System.Globalization;

namespace Microsoft.ML.Causal.Segmentation.CoarsePersonalization;

/// <summary>
/// The input of coarse personalization's step 2: an N × M matrix of expected (incremental) profits, row i = person,
/// column j = treatment level j, stored row-major (πᵢ(t_j) at index i·M + j). The values are wrapped, not copied
/// (N = 10⁶, M = 50 is 400 MB of doubles), so the caller must not change them while the matrix is in use; every value
/// is checked once to be finite. The profits may be relative to any per-person reference (e.g. no promotion): adding a
/// constant to a row changes no decision.
/// </summary>
public sealed class ProfitMatrix
{
    private readonly ReadOnlyMemory<double> _values;

    /// <summary>Wraps <paramref name="values"/> as a <paramref name="rows"/> × <paramref name="levels"/> profit matrix.</summary>
    /// <param name="values">The profits, row-major: <paramref name="rows"/>·<paramref name="levels"/> finite values.</param>
    /// <param name="rows">N, the number of persons (≥ 1).</param>
    /// <param name="levels">M, the number of treatment levels (≥ 1).</param>
    /// <param name="levelNames">Optional names of the levels (e.g. "0", "5", … for percent off); default "0" … "M−1".</param>
    /// <exception cref="ArgumentException">The length does not match, a value is NaN or infinite (the message names its row and level), or the names do not match the levels.</exception>
    public ProfitMatrix(ReadOnlyMemory<double> values, int rows, int levels, IReadOnlyList<string>? levelNames = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(levels);
        if (values.Length != (long)rows * levels)
            throw new ArgumentException($"ProfitMatrix: {rows} rows × {levels} levels need {(long)rows * levels} values, found {values.Length}.", nameof(values));
        var span = values.Span;
        for (var k = 0; k < span.Length; k++)
        {
            if (!double.IsFinite(span[k]))
                throw new ArgumentException($"ProfitMatrix: the profit of row {k / levels}, level {LevelName(levelNames, k % levels)} is {span[k]}; every profit must be a finite number (fill or drop that row).", nameof(values));
        }
        if (levelNames is not null && levelNames.Count != levels)
            throw new ArgumentException($"ProfitMatrix: {levels} levels but {levelNames.Count} level names.", nameof(levelNames));
        _values = values;
        RowCount = rows;
        LevelCount = levels;
        var names = new string[levels];
        for (var j = 0; j < levels; j++)
            names[j] = LevelName(levelNames, j);
        LevelNames = names;
    }

    /// <summary>N, the number of persons.</summary>
    public int RowCount { get; }

    /// <summary>M, the number of treatment levels.</summary>
    public int LevelCount { get; }

    /// <summary>The names of the levels, in column order.</summary>
    public IReadOnlyList<string> LevelNames { get; }

    /// <summary>All profits, row-major.</summary>
    public ReadOnlySpan<double> Values => _values.Span;

    /// <summary>The profits of person <paramref name="row"/> at every level.</summary>
    public ReadOnlySpan<double> Row(int row) => _values.Span.Slice(row * LevelCount, LevelCount);

    /// <summary>πᵢ(t_j): the profit of person <paramref name="row"/> at level <paramref name="level"/>.</summary>
    public double this[int row, int level] => _values.Span[row * LevelCount + level];

    /// <summary>Full personalization: the total profit when every person gets their own best level, Σᵢ maxⱼ πᵢ(t_j).</summary>
    public double FullPersonalizationProfit()
    {
        var total = 0.0;
        for (var i = 0; i < RowCount; i++)
            total += System.Numerics.Tensors.TensorPrimitives.Max(Row(i));
        return total;
    }

    /// <summary>The column totals Σᵢ πᵢ(t_j), one per level: the profit of giving everyone level j.</summary>
    public double[] LevelTotals()
    {
        var totals = new double[LevelCount];
        for (var i = 0; i < RowCount; i++)
            System.Numerics.Tensors.TensorPrimitives.Add(totals, Row(i), totals);
        return totals;
    }

    private static string LevelName(IReadOnlyList<string>? names, int level) =>
        names is not null && level < names.Count ? names[level] : level.ToString(CultureInfo.InvariantCulture);
}
