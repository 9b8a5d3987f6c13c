using Microsoft.ML.Causal.Numerics;

namespace Microsoft.ML.Causal.Simulation;

/// <summary>
/// A seeded marketplace experiment with known truth: sellers are randomly offered a coaching programme
/// (P(coached) = ½) and the outcome is next-quarter GMV growth in percentage points. The average effect is
/// about +6 points, but it differs by segment: about +18 for new sellers, +7 for growing ones, −2 for established
/// ones and 0 for top sellers, and within every tier it rises with the seller's response time (coaching helps slow
/// responders), so "coach where τ(x) &gt; 0" beats "coach everyone".
/// </summary>
/// <remarks>
/// <para>Each seller i is drawn independently (ζ₁, ζ₂, ζ₃, ε standard normal, U uniform):</para>
/// <list type="bullet">
/// <item>GMV tier t ∈ {new, growing, established, top} with probabilities 0.25, 0.30, 0.30, 0.15;</item>
/// <item>tenure_months = ⌊U(a_t, b_t)⌋ with (a, b) = (1, 7), (6, 25), (24, 73), (36, 121) by tier;</item>
/// <item>category ∈ {fashion, electronics, home, beauty} with probabilities 0.30, 0.20, 0.30, 0.20;</item>
/// <item>listings = max(1, round(L_t·e^{0.5ζ₁})) with L = 15, 40, 90, 250 by tier;</item>
/// <item>rating = clamp(4.5 + 0.25ζ₂, 3, 5), rounded to 0.01;</item>
/// <item>response_hours = e^{1 + 0.7ζ₃} (median 2.7 h), rounded to 0.01;</item>
/// <item>coaching W ~ Bernoulli(½), independent of everything else;</item>
/// <item>baseline b(x) = g_t + c_k + 6(rating − 4.5) + 2·ln(listings / L_t), with g = 20, 12, 5, 2 by tier and
/// c = −2, +3, 0, +1 by category;</item>
/// <item>effect τ(x) = s_t + 3z, with s = 18, 7, −2, 0 by tier and z = (ln response_hours − 1)/0.7 the
/// standardized log response time (≈ ζ₃);</item>
/// <item>outcome gmv_growth = b(x) + W·τ(x) + σε (σ = <c>noise</c>, default 20 points).</item>
/// </list>
/// <para>
/// Since E[z] = 0 in every tier, the population effects are E[τ] = 0.25·18 + 0.30·7 − 0.30·2 + 0 = 6.0 and the
/// tier effects are s_t. τ(x) &lt; 0 for about 1 % of growing, 75 % of established and 50 % of top sellers.
/// </para>
/// </remarks>
public static class SellerSimulation
{
    /// <summary>The GMV tiers, in order of size.</summary>
    public static IReadOnlyList<string> Tiers { get; } = ["new", "growing", "established", "top"];

    /// <summary>The product categories.</summary>
    public static IReadOnlyList<string> Categories { get; } = ["fashion", "electronics", "home", "beauty"];

    private static readonly double[] TierShares = [0.25, 0.30, 0.30, 0.15];
    private static readonly double[] CategoryShares = [0.30, 0.20, 0.30, 0.20];
    private static readonly (int Low, int High)[] Tenure = [(1, 7), (6, 25), (24, 73), (36, 121)];
    private static readonly double[] TypicalListings = [15, 40, 90, 250];
    private static readonly double[] TierGrowth = [20, 12, 5, 2];
    private static readonly double[] CategoryGrowth = [-2, 3, 0, 1];
    private static readonly double[] TierEffect = [18, 7, -2, 0];

    /// <summary>The true effect of coaching on a seller, τ(x) = s_tier + 3·(ln response_hours − 1)/0.7 (see the remarks).</summary>
    /// <param name="tier">One of <see cref="Tiers"/>.</param>
    /// <param name="responseHours">The seller's response time in hours (&gt; 0).</param>
    /// <exception cref="ArgumentException">The tier is unknown or the response time is not positive.</exception>
    public static double TrueEffect(string tier, double responseHours)
    {
        var t = IndexOf(Tiers, tier, nameof(tier));
        if (!(responseHours > 0 && double.IsFinite(responseHours)))
            throw new ArgumentOutOfRangeException(nameof(responseHours), responseHours, "The response time must be a positive number of hours.");
        return Effect(t, responseHours);
    }

    /// <summary>
    /// Simulates <paramref name="rows"/> sellers; the same <paramref name="seed"/> always gives the same sellers.
    /// Draw the training and the held-out sellers with different seeds.
    /// </summary>
    /// <param name="rows">Number of sellers (≥ 1).</param>
    /// <param name="seed">The seed.</param>
    /// <param name="noise">σ, the standard deviation of the outcome's noise in percentage points (default 20; ≥ 0).</param>
    public static SellerExperiment Generate(int rows, int seed = 0, double noise = 20)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        if (!(noise >= 0 && double.IsFinite(noise)))
            throw new ArgumentOutOfRangeException(nameof(noise), noise, "The noise must be a finite standard deviation ≥ 0.");
        var random = new CausalRandom(seed);
        var tiers = new string[rows];
        var categories = new string[rows];
        var tenure = new double[rows];
        var listings = new double[rows];
        var rating = new double[rows];
        var response = new double[rows];
        var coached = new bool[rows];
        var growth = new double[rows];
        var effect = new double[rows];
        var baseline = new double[rows];
        for (var i = 0; i < rows; i++)
        {
            var t = Draw(random, TierShares);
            var k = Draw(random, CategoryShares);
            tiers[i] = Tiers[t];
            categories[i] = Categories[k];
            tenure[i] = Tenure[t].Low + random.NextInt(Tenure[t].High - Tenure[t].Low);
            listings[i] = Math.Max(1, Math.Round(TypicalListings[t] * Math.Exp(0.5 * random.NextGaussian())));
            rating[i] = Math.Round(Math.Clamp(4.5 + 0.25 * random.NextGaussian(), 3, 5), 2);
            response[i] = Math.Max(0.01, Math.Round(Math.Exp(1 + 0.7 * random.NextGaussian()), 2));
            coached[i] = random.NextDouble() < 0.5;
            baseline[i] = TierGrowth[t] + CategoryGrowth[k] + 6 * (rating[i] - 4.5) + 2 * Math.Log(listings[i] / TypicalListings[t]);
            effect[i] = Effect(t, response[i]);
            growth[i] = baseline[i] + (coached[i] ? effect[i] : 0) + noise * random.NextGaussian();
        }
        return new SellerExperiment(tiers, categories, tenure, listings, rating, response, coached, growth, effect, baseline);
    }

    private static double Effect(int tier, double responseHours) => TierEffect[tier] + 3 * (Math.Log(responseHours) - 1) / 0.7;

    private static int Draw(CausalRandom random, double[] shares)
    {
        var u = random.NextDouble();
        for (var j = 0; j < shares.Length - 1; j++)
        {
            u -= shares[j];
            if (u < 0)
                return j;
        }
        return shares.Length - 1;
    }

    private static int IndexOf(IReadOnlyList<string> values, string value, string parameter)
    {
        ArgumentNullException.ThrowIfNull(value, parameter);
        for (var j = 0; j < values.Count; j++)
        {
            if (string.Equals(values[j], value, StringComparison.Ordinal))
                return j;
        }
        throw new ArgumentException($"'{value}' is not one of {string.Join(", ", values)}.", parameter);
    }
}
