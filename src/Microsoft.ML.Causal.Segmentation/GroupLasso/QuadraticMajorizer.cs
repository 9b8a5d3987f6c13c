using System.Numerics.Tensors;

namespace Microsoft.ML.Causal.Segmentation.GroupLasso;

/// <summary>
/// The quadratic majorizer of one segment's logistic loss and its penalized minimization, for
/// <see cref="SegmentSolver"/>'s majorization–minimization method. For creative k of the segment,
/// Gₖ = ¼ Σᵢ wᵢ x̃ᵢx̃ᵢᵀ over its rows, with x̃ = (1, (x − m)/s) the standardized row with its intercept; since the
/// logistic curvature σ(1−σ) is at most ¼, f(z) ≤ f(z₀) + ∇f(z₀)ᵀ(z − z₀) + ½ Σₖ dₖᵀGₖdₖ with dₖ the change of
/// βₖ = γ + δₖ (blocks 0 and k+1 of z). The Grams depend only on the rows and weights, so they are built once
/// (one pass, n(p+1)²/2 multiply–adds). <see cref="Minimize"/> then minimizes majorizer + penalty by FISTA with
/// backtracking and adaptive restart on the (p+1)×(p+1) Grams alone: the majorizer's gradient is affine in z,
/// so an extrapolated point's gradient is the same combination of the stored gradients, and an iteration costs
/// one product with the Grams (nⱼ(p+1)² multiply–adds), independent of the row count.
/// </summary>
internal sealed class QuadraticMajorizer
{
    private const int MaxInnerIterations = 20_000;

    private readonly SegmentSolver _solver;
    private readonly int _block;
    private readonly int _nj;
    private readonly double[][] _gram;
    private double[] _u, _uPrev, _uNew, _gU, _gPrev, _gNew;
    private readonly double[] _y, _gY, _d, _h;
    private double _lipschitz;

    /// <param name="design">The design.</param>
    /// <param name="rows">The segment's rows.</param>
    /// <param name="solver">The segment's solver (its penalty, proximal map and KKT residual).</param>
    /// <param name="creativesInParallel">When given, the creatives' Grams are built in parallel (each independently).</param>
    public QuadraticMajorizer(GroupLassoDesign design, SegmentRows rows, SegmentSolver solver, ParallelOptions? creativesInParallel = null)
    {
        _solver = solver;
        var p = design.Data.FeatureCount;
        _block = p + 1;
        _nj = rows.CreativeCount;
        var dim = (_nj + 1) * _block;
        _u = new double[dim];
        _uPrev = new double[dim];
        _uNew = new double[dim];
        _y = new double[dim];
        _gU = new double[dim];
        _gPrev = new double[dim];
        _gNew = new double[dim];
        _gY = new double[dim];
        _d = new double[_block];
        _h = new double[_block];
        _gram = new double[_nj][];
        if (creativesInParallel is not null)
            Parallel.For(0, _nj, creativesInParallel, k => _gram[k] = BuildGram(design, rows, k));
        else
        {
            for (var k = 0; k < _nj; k++)
                _gram[k] = BuildGram(design, rows, k);
        }
        _lipschitz = LargestEigenvalue();
    }

    /// <summary>
    /// Gₖ = ¼ Σ wᵢ x̃ᵢx̃ᵢᵀ over creative k's rows, row-major (p+1)×(p+1). The rows are gathered and standardized a
    /// block at a time (<see cref="RowBlock"/>), and each upper-triangle row a of G takes the whole block's updates
    /// while it is in L1, so G streams through the cache once per block rather than once per row (at p = 1000 it
    /// is 8 MB); every entry still sums the rows in row order, as a row-at-a-time update would.
    /// </summary>
    private double[] BuildGram(GroupLassoDesign design, SegmentRows rows, int k)
    {
        var p = _block - 1;
        var x = design.Data.Features.Span;
        var mean = design.Mean;
        var inv = design.InverseScale;
        var g = new double[_block * _block];
        var count = RowBlock.Rows(_block);
        var gathered = new double[count * p];
        var tilde = new double[count * _block];   // x̃ of each row of the block, intercept first
        var weight = new double[count];
        for (var from = rows.Start[k]; from < rows.Start[k + 1]; from += count)
        {
            var size = Math.Min(count, rows.Start[k + 1] - from);
            RowBlock.Gather(x, p, rows.Rows.AsSpan(from, size), gathered);
            for (var i = 0; i < size; i++)
            {
                var xt = tilde.AsSpan(i * _block, _block);
                xt[0] = 1;
                TensorPrimitives.Subtract(gathered.AsSpan(i * p, p), mean, xt[1..]);
                TensorPrimitives.Multiply(xt[1..], inv, xt[1..]);
                weight[i] = 0.25 * rows.W[from + i];
            }
            // Upper triangle only: row a gets w·x̃ₐ·x̃[a..] from each row of the block, in row order.
            for (var a = 0; a < _block; a++)
            {
                var target = g.AsSpan(a * _block + a, _block - a);
                for (var i = 0; i < size; i++)
                {
                    var xt = tilde.AsSpan(i * _block, _block);
                    var c = weight[i] * xt[a];
                    if (c == 0)
                        continue;
                    TensorPrimitives.MultiplyAdd(xt[a..], c, target, target);
                }
            }
        }
        for (var a = 0; a < _block; a++)
        {
            for (var b = 0; b < a; b++)
                g[a * _block + b] = g[b * _block + a];
        }
        return g;
    }

    /// <summary>
    /// A power-iteration estimate of the majorizer's Lipschitz constant (the largest eigenvalue of AᵀGA, A the map
    /// z → (β₁ … βₙⱼ)); only the starting step: backtracking enlarges it where it is too small.
    /// </summary>
    private double LargestEigenvalue()
    {
        var v = _u;
        var hv = _gNew;
        v.AsSpan().Fill(1);
        Array.Clear(_y);   // as z₀ and ∇f(z₀): hv = AᵀGA v
        double estimate = 0;
        for (var it = 0; it < 50; it++)
        {
            var norm = TensorPrimitives.Norm(v);
            if (norm == 0)
                return 1e-300;
            TensorPrimitives.Divide(v, norm, v);
            Gradient(v, _y, _y, hv);
            estimate = TensorPrimitives.Dot(v, hv);
            hv.AsSpan().CopyTo(v);
        }
        return Math.Max(estimate, 1e-300);
    }

    /// <summary>
    /// Writes into <paramref name="destination"/> an approximate minimizer of the penalized majorizer at
    /// <paramref name="z0"/> (with the true gradient <paramref name="g0"/> there), stopping when the majorizer's
    /// KKT residual is ≤ <paramref name="tolerance"/>. Each accepted iterate has a penalized majorizer value no
    /// larger than at z₀ (the objective there), so the objective does not increase.
    /// </summary>
    public void Minimize(ReadOnlySpan<double> z0, ReadOnlySpan<double> g0, Span<double> destination, double tolerance)
    {
        z0.CopyTo(_u);
        z0.CopyTo(_uPrev);
        g0.CopyTo(_gU);
        g0.CopyTo(_gPrev);
        var fU = _solver.Penalty(_u);   // the smooth part is 0 at z₀ (relative to f(z₀))
        double t = 1;
        var lk = _lipschitz;
        for (var iter = 1; iter <= MaxInnerIterations; iter++)
        {
            var tNext = (1 + Math.Sqrt(1 + 4 * t * t)) / 2;
            var beta = (t - 1) / tNext;
            SegmentSolver.Extrapolate(_u, _uPrev, beta, _y);
            SegmentSolver.Extrapolate(_gU, _gPrev, beta, _gY);
            var sY = Smooth(_y, _gY, z0, g0);
            double sNew;
            while (true)
            {
                TensorPrimitives.MultiplyAdd(_gY, -1 / lk, _y, _uNew);
                _solver.Prox(_uNew, 1 / lk);
                Gradient(_uNew, z0, g0, _gNew);
                sNew = Smooth(_uNew, _gNew, z0, g0);
                double inner = 0, squares = 0;
                for (var i = 0; i < _uNew.Length; i++)
                {
                    var d = _uNew[i] - _y[i];
                    inner += _gY[i] * d;
                    squares += d * d;
                }
                if (sNew <= sY + inner + 0.5 * lk * squares + 1e-15 * (Math.Abs(sY) + Math.Abs(fU)) || lk > 1e300)
                    break;
                lk *= 2;
            }
            var fNew = sNew + _solver.Penalty(_uNew);
            if (fNew > fU && beta > 0)
            {
                // Function restart: drop the momentum and redo the step from u.
                _u.AsSpan().CopyTo(_uPrev);
                _gU.AsSpan().CopyTo(_gPrev);
                t = 1;
                continue;
            }
            double mapping = 0, restart = 0;
            for (var i = 0; i < _uNew.Length; i++)
            {
                var d = _y[i] - _uNew[i];
                mapping = Math.Max(mapping, Math.Abs(d));
                restart += d * (_uNew[i] - _u[i]);
            }
            Swap();
            fU = fNew;
            t = restart > 0 ? 1 : tNext;
            if (lk * mapping <= tolerance && _solver.Kkt(_u, _gU) <= tolerance)
                break;
        }
        _lipschitz = lk;
        _u.AsSpan().CopyTo(destination);
    }

    /// <summary>‖AᵀGA(y − u)‖∞: the gradient mapping of a majorization step from y to u, in the metric of G.</summary>
    public double MappingNorm(ReadOnlySpan<double> y, ReadOnlySpan<double> u)
    {
        Array.Clear(_gY);
        Gradient(y, u, _gY, _gNew);   // g₀ = 0, z₀ = u: AᵀGA(y − u)
        return Math.Abs(TensorPrimitives.MaxMagnitude(_gNew));
    }

    /// <summary>u ← uNew, uPrev ← u (and their gradients), by rotating the buffers (no copy; uNew and gNew get the old uPrev's and gPrev's, to be overwritten).</summary>
    private void Swap()
    {
        (_uPrev, _u, _uNew) = (_u, _uNew, _uPrev);
        (_gPrev, _gU, _gNew) = (_gU, _gNew, _gPrev);
    }

    /// <summary>The majorizer's smooth part minus f(z₀) at u from its gradient there: ½(u − z₀)ᵀ(∇q(u) + g₀).</summary>
    private static double Smooth(ReadOnlySpan<double> u, ReadOnlySpan<double> gu, ReadOnlySpan<double> z0, ReadOnlySpan<double> g0)
    {
        double s = 0;
        for (var i = 0; i < u.Length; i++)
            s += (u[i] - z0[i]) * (gu[i] + g0[i]);
        return 0.5 * s;
    }

    /// <summary>∇q(u) = g₀ + AᵀGA(u − z₀): block k+1 gets g₀ + Gₖdₖ, block 0 gets g₀ + Σₖ Gₖdₖ.</summary>
    private void Gradient(ReadOnlySpan<double> u, ReadOnlySpan<double> z0, ReadOnlySpan<double> g0, Span<double> gradient)
    {
        g0.CopyTo(gradient);
        var centre = gradient[.._block];
        for (var k = 0; k < _nj; k++)
        {
            var from = (k + 1) * _block;
            for (var a = 0; a < _block; a++)
                _d[a] = u[a] - z0[a] + u[from + a] - z0[from + a];
            var g = _gram[k];
            for (var a = 0; a < _block; a++)
                _h[a] = TensorPrimitives.Dot(g.AsSpan(a * _block, _block), _d);
            var block = gradient.Slice(from, _block);
            TensorPrimitives.Add(block, _h, block);
            TensorPrimitives.Add(centre, _h, centre);
        }
    }
}
