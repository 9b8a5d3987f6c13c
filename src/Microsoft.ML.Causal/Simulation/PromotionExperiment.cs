using Microsoft.ML.Causal.Data;

namespace Microsoft.ML.Causal.Simulation;

/// <summary>
/// Customers simulated by <see cref="PromotionSimulation.Generate"/>: covariates, the randomized promotion level, the
/// observed purchase, spend and profit, and the truth — every customer's expected incremental profit at every level.
/// Every level has propensity 1/M for every customer.
/// </summary>
public sealed class PromotionExperiment
{
    private readonly double[] _covariates;
    private readonly double[] _truth;

    internal PromotionExperiment(double[] levels, double[] covariates, int[] assigned, bool[] purchase, double[] spend, double[] profit,
        double[] truth, double[] baseline, double margin, double promotionCost)
    {
        Levels = levels;
        _covariates = covariates;
        AssignedLevel = assigned;
        Purchase = purchase;
        Spend = spend;
        Profit = profit;
        _truth = truth;
        BaselineProfit = baseline;
        Margin = margin;
        PromotionCost = promotionCost;
    }

    /// <summary>Number of customers N.</summary>
    public int RowCount => AssignedLevel.Count;

    /// <summary>Number of promotion levels M.</summary>
    public int LevelCount => Levels.Count;

    /// <summary>The promotion depths of the grid, as fractions of the list price, ascending from 0 (no promotion).</summary>
    public IReadOnlyList<double> Levels { get; }

    /// <summary>The gross margin m used, as a share of the list price.</summary>
    public double Margin { get; }

    /// <summary>The cost c of promoting one customer at any depth &gt; 0.</summary>
    public double PromotionCost { get; }

    /// <summary>The covariates, row-major N × 5 in the order of <see cref="PromotionSimulation.CovariateColumns"/>.</summary>
    public ReadOnlyMemory<double> Covariates => _covariates;

    /// <summary>The randomized treatment: the index of the level each customer was offered (uniform on 0 … M − 1).</summary>
    public IReadOnlyList<int> AssignedLevel { get; }

    /// <summary>Whether the customer bought during the promotion window.</summary>
    public IReadOnlyList<bool> Purchase { get; }

    /// <summary>The list-price value of the customer's purchases (0 without a purchase).</summary>
    public IReadOnlyList<double> Spend { get; }

    /// <summary>The observed profit: spend·(m − t) − c·1[t &gt; 0] at the assigned depth t.</summary>
    public IReadOnlyList<double> Profit { get; }

    /// <summary>The true expected profit Eᵢ(0) without a promotion (the reference of <see cref="TrueIncrementalProfit"/>).</summary>
    public IReadOnlyList<double> BaselineProfit { get; }

    /// <summary>
    /// The truth: πᵢ(t) = Eᵢ(t) − Eᵢ(0), every customer's expected incremental profit at every level relative to no
    /// promotion, row-major N × M (row i, column j = level j); column 0 is 0.
    /// </summary>
    public ReadOnlyMemory<double> TrueIncrementalProfit => _truth;

    /// <summary>πᵢ(t_j), the true expected incremental profit of customer <paramref name="row"/> at level <paramref name="level"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The row or the level is out of range.</exception>
    public double TrueProfit(int row, int level)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(row);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(row, RowCount);
        ArgumentOutOfRangeException.ThrowIfNegative(level);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(level, LevelCount);
        return _truth[row * LevelCount + level];
    }

    /// <summary>
    /// The customers as a table: the covariates of <see cref="PromotionSimulation.CovariateColumns"/>, discount (the assigned
    /// depth), level (Int32, its index), purchase (Boolean), spend, profit and gross_profit (Double). gross_profit =
    /// spend·(margin − discount) is the profit before the promotion cost (profit + cost·1[promoted]): exactly 0 when the customer
    /// did not buy, so it suits a hurdle model, and with <c>ProfitFormula { PromotionCost = cost }</c> its incremental effect gives
    /// the incremental profit. The truth is not in the table.
    /// </summary>
    public InMemoryDataView ToDataView()
    {
        var n = RowCount;
        var builder = new InMemoryDataView.Builder().AddDoubleColumns(PromotionSimulation.CovariateColumns, _covariates);
        var values = new double[n];
        var level = new int[n];
        var gross = new double[n];
        for (var i = 0; i < n; i++)
        {
            level[i] = AssignedLevel[i];
            values[i] = Levels[level[i]];
            gross[i] = Spend[i] * (Margin - values[i]);
        }
        return builder.AddDouble("discount", values).AddInt32("level", level).AddBoolean("purchase", [.. Purchase])
            .AddDouble("spend", [.. Spend]).AddDouble("profit", [.. Profit]).AddDouble("gross_profit", gross).Build();
    }
}
