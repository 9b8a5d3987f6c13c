using System.Runtime.CompilerServices;
using Microsoft.ML.Causal.Numerics;

namespace Microsoft.ML.Causal.Forests.Relabeling;

/// <summary>
/// The multi-arm causal forest's relabeling, from the node's moment condition E[W̃(Ỹ − W̃ᵀβ)] = 0 with K centered
/// treatment columns W̃ (one-hot non-control arms minus Ŵ(x)): with the node's weighted means Ȳ, W̄ and
/// dᵢ = Wᵢ − W̄, A = Σ w d dᵀ and β̂ = A⁻¹ Σ w d (Y − Ȳ), the pseudo-outcome vector is
/// ρᵢ = ā·A⁻¹ dᵢ (Yᵢ − Ȳ − dᵢᵀβ̂), the influence of row i on β̂ (grf's multi-causal relabeling) up to the
/// node-constant factor ā = trace(A)/K, which does not move the best split but keeps ρ on the scale of the binary
/// pseudo-outcome (for K = 1, ā·A⁻¹ = 1 and ρ is exactly <see cref="CausalRelabeling"/>'s). Stops when some arm
/// does not vary in the node or A is singular.
/// </summary>
internal sealed class MultiCausalRelabeling(int treatmentCount) : IRelabelingStrategy
{
    private readonly double[] _mean = new double[treatmentCount];
    private readonly double[] _moments = new double[treatmentCount * treatmentCount];
    private readonly double[] _inverse = new double[treatmentCount * treatmentCount];
    private readonly double[] _cross = new double[treatmentCount];
    private readonly double[] _scale = new double[treatmentCount];
    private readonly double[] _beta = new double[treatmentCount];
    private readonly double[] _d = new double[treatmentCount];

    public int ResponseCount => treatmentCount;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool Relabel(NodeSamples node)
    {
        var k = treatmentCount;
        var n = node.Count;
        var w = node.Weight.AsSpan(0, n);
        var y = node.Outcome.AsSpan(0, n);
        var t = node.Treatment.AsSpan(0, n * k);
        var mean = _mean.AsSpan();
        double sw = 0, sy = 0;
        mean.Clear();
        for (var i = 0; i < n; i++)
        {
            sw += w[i];
            sy += w[i] * y[i];
            for (var j = 0; j < k; j++)
                mean[j] += w[i] * t[i * k + j];
        }
        if (!(sw > 0))
            return false;
        var yBar = sy / sw;
        for (var j = 0; j < k; j++)
            mean[j] /= sw;
        var a = _moments.AsSpan();
        var b = _cross.AsSpan();
        var scale = _scale.AsSpan();
        var d = _d.AsSpan();
        a.Clear();
        b.Clear();
        scale.Clear();
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < k; j++)
                d[j] = t[i * k + j] - mean[j];
            for (var j = 0; j < k; j++)
            {
                for (var m = 0; m < k; m++)
                    a[j * k + m] += w[i] * d[j] * d[m];
                b[j] += w[i] * d[j] * (y[i] - yBar);
                scale[j] += w[i] * t[i * k + j] * t[i * k + j];
            }
        }
        double trace = 0;
        for (var j = 0; j < k; j++)
        {
            var v = a[j * k + j];
            if (!(v > 1e-12 * scale[j]) || v <= 0)
                return false;
            trace += v;
        }
        var average = trace / k;
        for (var j = 0; j < a.Length; j++)
            a[j] /= average;
        if (!SmallSpd.Factor(a, k, 1e-10))
            return false;
        var inverse = _inverse.AsSpan();
        SmallSpd.Invert(a, k, inverse);
        var beta = _beta.AsSpan();
        for (var j = 0; j < k; j++)
        {
            double s = 0;
            for (var m = 0; m < k; m++)
                s += inverse[j * k + m] * b[m];
            beta[j] = s / average;
        }
        var rho = node.Responses.AsSpan(0, n * k);
        for (var i = 0; i < n; i++)
        {
            double fit = 0;
            for (var j = 0; j < k; j++)
            {
                d[j] = t[i * k + j] - mean[j];
                fit += beta[j] * d[j];
            }
            var residual = y[i] - yBar - fit;
            for (var j = 0; j < k; j++)
            {
                double s = 0;
                for (var m = 0; m < k; m++)
                    s += inverse[j * k + m] * d[m];
                rho[i * k + j] = s * residual;
            }
        }
        return true;
    }
}
