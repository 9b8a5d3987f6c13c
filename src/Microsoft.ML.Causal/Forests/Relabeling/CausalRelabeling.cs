using System.Runtime.CompilerServices;
namespace Microsoft.ML.Causal.Forests.Relabeling;

/// <summary>
/// The causal forest's relabeling (grf's instrumental relabeling with the treatment as its own instrument): with
/// the node's weighted means Ȳ, W̄ and local slope τ̂ = Σw(W − W̄)(Y − Ȳ) / Σw(W − W̄)², the pseudo-outcome is
/// ρᵢ = (Wᵢ − W̄)·[(Yᵢ − Ȳ) − τ̂(Wᵢ − W̄)], the influence of row i on τ̂ up to the node-constant factor
/// 1/Var(W), which does not move the best split. Stops when the node's treatment does not vary.
/// </summary>
internal sealed class CausalRelabeling : IRelabelingStrategy
{
    public static CausalRelabeling Instance { get; } = new();

    public int ResponseCount => 1;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool Relabel(NodeSamples node)
    {
        var n = node.Count;
        var w = node.Weight.AsSpan(0, n);
        var y = node.Outcome.AsSpan(0, n);
        var t = node.Treatment.AsSpan(0, n);
        double sw = 0, sy = 0, st = 0;
        for (var i = 0; i < n; i++)
        {
            sw += w[i];
            sy += w[i] * y[i];
            st += w[i] * t[i];
        }
        if (!(sw > 0))
            return false;
        var yBar = sy / sw;
        var tBar = st / sw;
        double stt = 0, sty = 0, scale = 0;
        for (var i = 0; i < n; i++)
        {
            var dt = t[i] - tBar;
            stt += w[i] * dt * dt;
            sty += w[i] * dt * (y[i] - yBar);
            scale += w[i] * t[i] * t[i];
        }
        if (!(stt > 1e-12 * scale) || stt <= 0)
            return false;
        var tau = sty / stt;
        var rho = node.Responses.AsSpan(0, n);
        for (var i = 0; i < n; i++)
        {
            var dt = t[i] - tBar;
            rho[i] = dt * (y[i] - yBar - tau * dt);
        }
        return true;
    }
}
