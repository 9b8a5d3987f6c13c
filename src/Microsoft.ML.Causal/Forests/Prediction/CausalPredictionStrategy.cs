namespace Microsoft.ML.Causal.Forests.Prediction;

/// <summary>
/// The causal forest's estimate (grf's instrumental strategy with the treatment as instrument). Leaf statistics,
/// each Σ_leaf w·(·) / |leaf| on the centered Y and W: (Y, W, WY, W², 1). With Ē the average over trees,
/// τ̂(x) = (Ē[wWY]·Ē[w] − Ē[wW]·Ē[wY]) / (Ē[wW²]·Ē[w] − Ē[wW]²), the solution of the forest-weighted
/// estimating equation Σᵢ αᵢ(x)wᵢ(Wᵢ − W̄)(Yᵢ − Ȳ − τ(Wᵢ − W̄)) = 0. The variance comes from the per-tree
/// terms of the same equation (<see cref="TreeTerm(ReadOnlySpan{double}, ReadOnlySpan{double}, double)"/>) by the bootstrap of little bags.
/// <paramref name="fallback"/> (the effect on all training rows) answers where the treatment does not vary
/// over the forest's neighbourhood of x.
/// </summary>
internal sealed class CausalPredictionStrategy(double fallback) : IPredictionStrategy
{
    public const int Y = 0, W = 1, WY = 2, WW = 3, One = 4;

    public double Fallback => fallback;

    public int StatCount => 5;

    public int OutputCount => 1;

    public void LeafStatistics(ForestData data, ReadOnlySpan<int> rows, Span<double> stats)
    {
        double sy = 0, st = 0, sty = 0, stt = 0, sw = 0;
        var y = data.Outcome;
        var t = data.Treatment!;
        foreach (var r in rows)
        {
            var w = data.WeightOf(r);
            sy += w * y[r];
            st += w * t[r];
            sty += w * t[r] * y[r];
            stt += w * t[r] * t[r];
            sw += w;
        }
        double size = rows.Length;
        stats[Y] = sy / size;
        stats[W] = st / size;
        stats[WY] = sty / size;
        stats[WW] = stt / size;
        stats[One] = sw / size;
    }

    public void Predict(ReadOnlySpan<double> average, Span<double> output) => output[0] = Effect(average);

    /// <summary>τ̂ from averaged leaf statistics.</summary>
    public double Effect(ReadOnlySpan<double> a) => Identified(a) ? (a[WY] * a[One] - a[W] * a[Y]) / Denominator(a) : fallback;

    /// <summary>
    /// Whether the treatment varies enough around x for τ̂ to be estimated: the denominator is positive and not lost
    /// to rounding (above 1e-12 of Ē[wW²]Ē[w]). Otherwise τ̂ is the fallback slope and its variance 0.
    /// </summary>
    public static bool Identified(ReadOnlySpan<double> a)
    {
        var denominator = Denominator(a);
        return denominator > 0 && denominator > 1e-12 * (a[WW] * a[One]);
    }

    /// <summary>
    /// One tree's term ρ_b of the estimating equation at τ̂ (grf's pseudo-values for the little-bags variance):
    /// with μ̂ = (Ē[Y] − Ē[W]τ̂)/Ē[w], ψ₁ = leaf(WY) − τ̂·leaf(W²) − μ̂·leaf(W), ψ₂ = leaf(Y) − τ̂·leaf(W) − μ̂·leaf(w),
    /// ρ_b = (Ē[w]ψ₁ − Ē[W]ψ₂) / (Ē[W²]Ē[w] − Ē[W]²). The ρ_b average to 0 over the trees.
    /// </summary>
    public static double TreeTerm(ReadOnlySpan<double> leaf, ReadOnlySpan<double> a, double tau) =>
        TreeTerm(leaf, a, tau, Intercept(a, tau), Denominator(a));

    /// <summary><see cref="TreeTerm(ReadOnlySpan{double}, ReadOnlySpan{double}, double)"/> with μ̂ and the denominator, which depend only on the averages, computed once for all trees.</summary>
    public static double TreeTerm(ReadOnlySpan<double> leaf, ReadOnlySpan<double> a, double tau, double mu, double denominator)
    {
        var psi1 = leaf[WY] - tau * leaf[WW] - mu * leaf[W];
        var psi2 = leaf[Y] - tau * leaf[W] - mu * leaf[One];
        return (a[One] * psi1 - a[W] * psi2) / denominator;
    }

    /// <summary>Ē[wW²]·Ē[w] − Ē[wW]²: the denominator of τ̂ (and of every tree term).</summary>
    public static double Denominator(ReadOnlySpan<double> a) => a[WW] * a[One] - a[W] * a[W];

    /// <summary>μ̂ = (Ē[Y] − Ē[W]τ̂)/Ē[w].</summary>
    public static double Intercept(ReadOnlySpan<double> a, double tau) => (a[Y] - a[W] * tau) / a[One];
}
