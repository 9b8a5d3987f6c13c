using Microsoft.ML.Causal.Data;

namespace Microsoft.ML.Causal.Simulation;

/// <summary>
/// Sellers simulated by <see cref="SellerSimulation.Generate"/>: their covariates, the randomized coaching
/// offer, the outcome, and per row the truth (τ(x) and the baseline b(x)). The propensity is ½ for every row.
/// </summary>
public sealed class SellerExperiment
{
    internal SellerExperiment(string[] tiers, string[] categories, double[] tenure, double[] listings, double[] rating, double[] response,
        bool[] coached, double[] growth, double[] effect, double[] baseline)
    {
        GmvTier = tiers;
        Category = categories;
        TenureMonths = tenure;
        Listings = listings;
        Rating = rating;
        ResponseHours = response;
        Coaching = coached;
        GmvGrowth = growth;
        TrueEffect = effect;
        Baseline = baseline;
    }

    /// <summary>The column names of <see cref="ToDataView"/> that are covariates (the ones to featurize).</summary>
    public static IReadOnlyList<string> CovariateColumns { get; } = ["tenure_months", "gmv_tier", "category", "listings", "rating", "response_hours"];

    /// <summary>Number of sellers.</summary>
    public int RowCount => GmvTier.Count;

    /// <summary>The true P(coaching = true | x), the same for every seller.</summary>
    public double Propensity => 0.5;

    /// <summary>GMV tier: new, growing, established or top.</summary>
    public IReadOnlyList<string> GmvTier { get; }

    /// <summary>Main product category: fashion, electronics, home or beauty.</summary>
    public IReadOnlyList<string> Category { get; }

    /// <summary>Months since the seller joined.</summary>
    public IReadOnlyList<double> TenureMonths { get; }

    /// <summary>Active listings.</summary>
    public IReadOnlyList<double> Listings { get; }

    /// <summary>Average buyer rating (3 … 5).</summary>
    public IReadOnlyList<double> Rating { get; }

    /// <summary>Median time to answer a buyer's message, in hours.</summary>
    public IReadOnlyList<double> ResponseHours { get; }

    /// <summary>The treatment: offered the coaching programme (randomized, P = ½).</summary>
    public IReadOnlyList<bool> Coaching { get; }

    /// <summary>The outcome: next-quarter GMV growth, in percentage points.</summary>
    public IReadOnlyList<double> GmvGrowth { get; }

    /// <summary>The true effect τ(xᵢ) of coaching on the seller's growth, in percentage points.</summary>
    public IReadOnlyList<double> TrueEffect { get; }

    /// <summary>The true baseline b(xᵢ): the expected growth without coaching.</summary>
    public IReadOnlyList<double> Baseline { get; }

    /// <summary>
    /// The sellers as a table: tenure_months, listings, rating, response_hours, gmv_growth and true_effect
    /// (Double), gmv_tier and category (Text), coaching (Boolean). Featurize <see cref="CovariateColumns"/>;
    /// gmv_growth is the outcome, coaching the treatment, and true_effect the truth (never a feature).
    /// </summary>
    public InMemoryDataView ToDataView() => new InMemoryDataView.Builder()
        .AddDouble("tenure_months", [.. TenureMonths])
        .AddText("gmv_tier", [.. GmvTier])
        .AddText("category", [.. Category])
        .AddDouble("listings", [.. Listings])
        .AddDouble("rating", [.. Rating])
        .AddDouble("response_hours", [.. ResponseHours])
        .AddBoolean("coaching", [.. Coaching])
        .AddDouble("gmv_growth", [.. GmvGrowth])
        .AddDouble("true_effect", [.. TrueEffect])
        .Build();
}
