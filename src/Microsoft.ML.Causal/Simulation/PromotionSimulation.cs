using Microsoft.ML.Causal.Numerics;

namespace Microsoft.ML.Causal.Simulation;

/// <summary>
/// A seeded promotions field experiment with known truth: every customer is randomly offered one promotion depth
/// from a grid of M levels (0 %, …, 50 % off by default, all equally likely); whether they buy and how much they spend
/// respond to the depth heterogeneously (price sensitivity depends on the covariates and on noise). The truth is
/// each customer's expected incremental profit πᵢ(t) at every level, so coarse personalization can be scored exactly.
/// </summary>
/// <remarks>
/// <para>Each customer i is drawn independently (ζ₁, ζ₂, ζ₃, η, ε standard normal, U₁, U₂, V uniform on [0, 1)):</para>
/// <list type="bullet">
/// <item>recency_days = e^{3 + 0.8ζ₁} (days since the last order), frequency = round(e^{1.5 − 0.5ζ₁ + 0.5ζ₂}) (orders last year),
/// basket = 60·e^{0.4ζ₃} (average past basket at list price), tenure_years = 5U₁, app_user = 1 if U₂ &lt; 0.4 else 0;</item>
/// <item>baseline purchase index αᵢ = −0.3 − 0.6ζ₁ + 0.5ζ₂ + 0.4·app_user (recent, frequent app users buy anyway);</item>
/// <item>price sensitivity βᵢ = 6·e^{0.45ζ₁ − 0.35ζ₂ − 0.3ζ₃ + 0.5η}: lapsing, infrequent, small-basket customers respond
/// more, and η (not observed) makes customers with the same covariates differ;</item>
/// <item>purchase probability at depth t: pᵢ(t) = 1/(1 + e^{−(αᵢ + βᵢt)});</item>
/// <item>expected basket at list price when buying: sᵢ(t) = basketᵢ·(1 + t) (deeper discounts fill larger baskets);</item>
/// <item>expected profit: Eᵢ(t) = pᵢ(t)·sᵢ(t)·(m − t) − c·1[t &gt; 0], with gross margin m (share of the list price, default
/// 0.6) and cost c per promoted customer (default 0.5, e.g. the coupon's handling);</item>
/// <item><b>true expected incremental profit</b> πᵢ(t) = Eᵢ(t) − Eᵢ(0), relative to level 0 (no promotion), so πᵢ(0) = 0;</item>
/// <item>assigned level Tᵢ uniform on the grid, purchase Bᵢ ~ Bernoulli(pᵢ(Tᵢ)), spend = Bᵢ·sᵢ(Tᵢ)·e^{0.3ε − 0.045}
/// (list-price value, mean sᵢ(Tᵢ) when buying) and observed profit = spend·(m − Tᵢ) − c·1[Tᵢ &gt; 0].</item>
/// </list>
/// <para>
/// With the defaults (11 levels, 60 000 customers, seed 1) the customers' best depths are 0 % for 20.5 %, 10 % for 10.3 %,
/// 15 % for 25.1 %, 20 % for 29.2 %, 25 % for 12.8 % and 5 % or 30–35 % for the rest; the best single depth (15 %) keeps
/// 82 % of full personalization's incremental profit, while five well-chosen depths keep 99.9 % and five segments found by
/// k-means on the covariates about 89 % (see the segmentation tests).
/// </para>
/// </remarks>
public static class PromotionSimulation
{
    /// <summary>The covariate columns of <see cref="PromotionExperiment.ToDataView"/>, in the order of <see cref="PromotionExperiment.Covariates"/>.</summary>
    public static IReadOnlyList<string> CovariateColumns { get; } = ["recency_days", "frequency", "basket", "tenure_years", "app_user"];

    /// <summary>
    /// Simulates <paramref name="rows"/> customers; the same arguments always give the same experiment. Draw the training
    /// and the held-out customers with different seeds.
    /// </summary>
    /// <param name="rows">Number of customers (≥ 1).</param>
    /// <param name="seed">The seed.</param>
    /// <param name="levels">M, the number of promotion depths on the grid (≥ 2; default 11).</param>
    /// <param name="maximumDiscount">The deepest discount, a fraction of the list price in (0, 1); the grid is evenly spaced from 0 to it (default 0.5).</param>
    /// <param name="margin">m, the gross margin as a share of the list price, in (0, 1] (default 0.6).</param>
    /// <param name="promotionCost">c, the cost of promoting one customer at any depth &gt; 0 (≥ 0; default 0.5).</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside its range.</exception>
    public static PromotionExperiment Generate(int rows, int seed = 0, int levels = 11, double maximumDiscount = 0.5, double margin = 0.6,
        double promotionCost = 0.5)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        if (levels < 2)
            throw new ArgumentOutOfRangeException(nameof(levels), levels, "The promotion grid needs at least 2 levels (no promotion and one depth).");
        if (!(maximumDiscount > 0 && maximumDiscount < 1))
            throw new ArgumentOutOfRangeException(nameof(maximumDiscount), maximumDiscount, "The deepest discount must be a fraction of the list price in (0, 1).");
        if (!(margin > 0 && margin <= 1))
            throw new ArgumentOutOfRangeException(nameof(margin), margin, "The margin must be a share of the list price in (0, 1].");
        if (!(promotionCost >= 0 && double.IsFinite(promotionCost)))
            throw new ArgumentOutOfRangeException(nameof(promotionCost), promotionCost, "The promotion cost must be finite and ≥ 0.");
        if ((long)rows * levels > Array.MaxLength)
            throw new ArgumentOutOfRangeException(nameof(rows), rows, $"{rows} customers × {levels} levels do not fit one profit array; simulate fewer customers.");
        var grid = new double[levels];
        for (var j = 0; j < levels; j++)
            grid[j] = maximumDiscount * j / (levels - 1);
        var random = new CausalRandom(seed);
        var covariates = new double[rows * CovariateColumns.Count];
        var assigned = new int[rows];
        var purchase = new bool[rows];
        var spend = new double[rows];
        var profit = new double[rows];
        var truth = new double[rows * levels];
        var baseline = new double[rows];
        for (var i = 0; i < rows; i++)
        {
            var z1 = random.NextGaussian();
            var z2 = random.NextGaussian();
            var z3 = random.NextGaussian();
            var eta = random.NextGaussian();
            var x = covariates.AsSpan(i * CovariateColumns.Count, CovariateColumns.Count);
            x[0] = Math.Round(Math.Exp(3 + 0.8 * z1), 1);
            x[1] = Math.Round(Math.Exp(1.5 - 0.5 * z1 + 0.5 * z2));
            x[2] = Math.Round(60 * Math.Exp(0.4 * z3), 2);
            x[3] = Math.Round(5 * random.NextDouble(), 2);
            x[4] = random.NextDouble() < 0.4 ? 1 : 0;
            var customer = new Customer(-0.3 - 0.6 * z1 + 0.5 * z2 + 0.4 * x[4],
                6 * Math.Exp(0.45 * z1 - 0.35 * z2 - 0.3 * z3 + 0.5 * eta), 60 * Math.Exp(0.4 * z3));
            baseline[i] = customer.ExpectedProfit(0, margin, promotionCost);
            var row = truth.AsSpan(i * levels, levels);
            for (var j = 0; j < levels; j++)
                row[j] = j == 0 ? 0 : customer.ExpectedProfit(grid[j], margin, promotionCost) - baseline[i];
            var level = random.NextInt(levels);
            var t = grid[level];
            assigned[i] = level;
            purchase[i] = random.NextDouble() < customer.PurchaseProbability(t);
            var noise = random.NextGaussian();
            spend[i] = purchase[i] ? Math.Round(customer.Basket(t) * Math.Exp(0.3 * noise - 0.045), 2) : 0;
            profit[i] = spend[i] * (margin - t) - (level > 0 ? promotionCost : 0);
        }
        return new PromotionExperiment(grid, covariates, assigned, purchase, spend, profit, truth, baseline, margin, promotionCost);
    }

    private readonly record struct Customer(double Alpha, double Beta, double ListBasket)
    {
        public double PurchaseProbability(double t) => LogisticMath.Sigmoid(Alpha + Beta * t);

        public double Basket(double t) => ListBasket * (1 + t);

        public double ExpectedProfit(double t, double margin, double cost) =>
            PurchaseProbability(t) * Basket(t) * (margin - t) - (t > 0 ? cost : 0);
    }
}
