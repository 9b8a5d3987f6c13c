using MathNet.Numerics;

namespace Microsoft.ML.Causal.Forests.Prediction;

/// <summary>
/// The bootstrap of little bags (Sexton and Laake; Athey, Tibshirani and Wager 2019) with grf's objective-Bayes
/// debiasing. Trees come in groups of ℓ grown on one half-sample; with ρ_b each tree's term of the estimating
/// equation (scaled to the estimate), V_between = mean over groups of (group mean of ρ)², V_total = mean over
/// trees of ρ², the Monte-Carlo noise (V_total − V_between)/(ℓ − 1) and raw = V_between − noise. raw can be
/// negative; the objective-Bayes fix with se₀ = max(V_between, noise)·√(2/G) and r = raw/se₀ returns
/// V̂ = raw + se₀·φ(r)/Φ(r) > 0, the posterior mean of a non-negative variance.
/// </summary>
internal static class LittleBags
{
    /// <summary>V̂ from per-tree terms of whole groups (<paramref name="terms"/>.Length a multiple of ℓ ≥ 2, at least one group); 0 when every term is 0.</summary>
    public static double Variance(ReadOnlySpan<double> terms, int groupSize)
    {
        if (groupSize < 2 || terms.Length < groupSize || terms.Length % groupSize != 0)
            throw new ArgumentException($"The little-bags variance needs whole groups of at least 2 trees; got {terms.Length} terms in groups of {groupSize}.");
        var groups = terms.Length / groupSize;
        double between = 0, total = 0;
        for (var g = 0; g < groups; g++)
        {
            double mean = 0;
            for (var b = 0; b < groupSize; b++)
            {
                var rho = terms[g * groupSize + b];
                mean += rho;
                total += rho * rho;
            }
            mean /= groupSize;
            between += mean * mean;
        }
        return Variance(between, total, groups, groupSize);
    }

    /// <summary>
    /// V̂ from the sums a pass over whole groups accumulates (in group order, as the span overload does):
    /// <paramref name="betweenSum"/> = Σ_g (group mean of ρ)² and <paramref name="totalSum"/> = Σ_b ρ_b² over
    /// <paramref name="groups"/> ≥ 1 groups of <paramref name="groupSize"/> ≥ 2 trees.
    /// </summary>
    public static double Variance(double betweenSum, double totalSum, int groups, int groupSize)
    {
        var between = betweenSum / groups;
        var total = totalSum / (groups * groupSize);
        var noise = (total - between) / (groupSize - 1);
        var raw = between - noise;
        var se0 = Math.Max(between, noise) * Math.Sqrt(2.0 / groups);
        if (!(se0 > 0))
            return Math.Max(raw, 0);
        var r = raw / se0;
        return se0 * (r + MillsRatio(r));
    }

    /// <summary>φ(r)/Φ(r), by its asymptotic series where Φ(r) would underflow.</summary>
    internal static double MillsRatio(double r)
    {
        if (r > -30)
        {
            var density = Math.Exp(-0.5 * r * r) / Math.Sqrt(2 * Math.PI);
            return density / (0.5 * SpecialFunctions.Erfc(-r / Math.Sqrt(2)));
        }
        var q = 1 / (r * r);
        return -r / (1 - q + 3 * q * q - 15 * q * q * q);
    }
}
