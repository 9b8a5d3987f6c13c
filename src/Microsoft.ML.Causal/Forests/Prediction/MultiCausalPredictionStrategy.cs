using Microsoft.ML.Causal.Numerics;

namespace Microsoft.ML.Causal.Forests.Prediction;

/// <summary>
/// The multi-arm causal forest's estimate: the K-dimensional version of <see cref="CausalPredictionStrategy"/>.
/// Leaf statistics, each Σ_leaf w·(·) / |leaf| on the centered Y and the K centered treatment columns W:
/// (Y, W_1…W_K, W_1Y…W_KY, W_jW_m for j, m = 1…K row-major, 1) — for K = 1 exactly the binary layout. With Ē the
/// average over trees, A = Ē[wWWᵀ]Ē[w] − Ē[wW]Ē[wW]ᵀ and c = Ē[wWY]Ē[w] − Ē[wW]Ē[wY], τ̂(x) = A⁻¹c solves the
/// forest-weighted estimating equations Σᵢ αᵢ(x)wᵢ(Wᵢ − W̄)(Yᵢ − Ȳ − (Wᵢ − W̄)ᵀτ) = 0. Each tree's term for the
/// little-bags variance is ρ_b = A⁻¹(Ē[w]ψ₁ − Ē[W]ψ₂) with μ̂ = (Ē[Y] − Ē[W]ᵀτ̂)/Ē[w],
/// ψ₁ = leaf(WY) − leaf(WWᵀ)τ̂ − μ̂·leaf(W) and ψ₂ = leaf(Y) − leaf(W)ᵀτ̂ − μ̂·leaf(w): the τ-block of the
/// linearized (μ, τ) system. <paramref name="fallback"/> (the effects on all training rows) answers where the
/// treatments do not vary enough over the forest's neighbourhood of x.
/// </summary>
internal sealed class MultiCausalPredictionStrategy(double[] fallback) : IPredictionStrategy
{
    private readonly int _k = fallback.Length;

    public ReadOnlySpan<double> Fallback => fallback;

    public int EffectCount => _k;

    public int StatCount => 2 + 2 * _k + _k * _k;

    public int OutputCount => _k;

    private int W(int j) => 1 + j;

    private int WY(int j) => 1 + _k + j;

    private int WW(int j, int m) => 1 + 2 * _k + j * _k + m;

    private int One => 1 + 2 * _k + _k * _k;

    public void LeafStatistics(ForestData data, ReadOnlySpan<int> rows, Span<double> stats)
    {
        var k = _k;
        stats.Clear();
        var y = data.Outcome;
        var t = data.Treatment!;
        foreach (var r in rows)
        {
            var w = data.WeightOf(r);
            stats[0] += w * y[r];
            for (var j = 0; j < k; j++)
            {
                var tj = t[r * k + j];
                stats[W(j)] += w * tj;
                stats[WY(j)] += w * tj * y[r];
                for (var m = 0; m < k; m++)
                    stats[WW(j, m)] += w * tj * t[r * k + m];
            }
            stats[One] += w;
        }
        double size = rows.Length;
        for (var s = 0; s < stats.Length; s++)
            stats[s] /= size;
    }

    public void Predict(ReadOnlySpan<double> average, Span<double> output)
    {
        Span<double> factor = stackalloc double[_k * _k];
        Effect(average, output, factor);
    }

    /// <summary>
    /// τ̂ from averaged leaf statistics into <paramref name="tau"/>, and the Cholesky factor of A into
    /// <paramref name="factor"/>; false (τ̂ = the fallback) where A is not safely positive definite: a diagonal
    /// entry at or below 1e-12 of Ē[wW_j²]Ē[w], or a pivot below 1e-10 of its diagonal entry.
    /// </summary>
    public bool Effect(ReadOnlySpan<double> a, Span<double> tau, Span<double> factor)
    {
        var k = _k;
        for (var j = 0; j < k; j++)
        {
            for (var m = 0; m < k; m++)
                factor[j * k + m] = a[WW(j, m)] * a[One] - a[W(j)] * a[W(m)];
            tau[j] = a[WY(j)] * a[One] - a[W(j)] * a[0];
        }
        for (var j = 0; j < k; j++)
        {
            var diagonal = factor[j * k + j];
            if (!(diagonal > 0 && diagonal > 1e-12 * (a[WW(j, j)] * a[One])))
            {
                fallback.CopyTo(tau);
                return false;
            }
        }
        if (!SmallSpd.Factor(factor, k, 1e-10))
        {
            fallback.CopyTo(tau);
            return false;
        }
        SmallSpd.Solve(factor, k, tau);
        return true;
    }

    /// <summary>μ̂ = (Ē[Y] − Ē[W]ᵀτ̂)/Ē[w].</summary>
    public double Intercept(ReadOnlySpan<double> a, ReadOnlySpan<double> tau)
    {
        var s = a[0];
        for (var j = 0; j < _k; j++)
            s -= a[W(j)] * tau[j];
        return s / a[One];
    }

    /// <summary>One tree's K terms ρ_b (see the class summary) into <paramref name="term"/>, with the factor of A from <see cref="Effect"/>.</summary>
    public void TreeTerm(ReadOnlySpan<double> leaf, ReadOnlySpan<double> a, ReadOnlySpan<double> tau, double mu, ReadOnlySpan<double> factor, Span<double> term)
    {
        var k = _k;
        var psi2 = leaf[0] - mu * leaf[One];
        for (var j = 0; j < k; j++)
            psi2 -= leaf[W(j)] * tau[j];
        for (var j = 0; j < k; j++)
        {
            var psi1 = leaf[WY(j)] - mu * leaf[W(j)];
            for (var m = 0; m < k; m++)
                psi1 -= leaf[WW(j, m)] * tau[m];
            term[j] = a[One] * psi1 - a[W(j)] * psi2;
        }
        SmallSpd.Solve(factor, k, term);
    }
}
