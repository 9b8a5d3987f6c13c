using System.Numerics.Tensors;

namespace Microsoft.ML.Causal.Segmentation.GroupLasso;

/// <summary>
/// One segment's subproblem on standardized features, solved by accelerated majorization–minimization
/// (<see cref="GroupLassoSolver.Majorization"/>, the default: see <see cref="SolveMajorized"/>) or by
/// FISTA (<see cref="GroupLassoSolver.Fista"/>), both with the same KKT stopping rule. FISTA, with backtracking that may also enlarge the
/// step (Scheinberg, Goldfarb and Bai's momentum for varying steps) and adaptive restart (function and
/// gradient tests of O'Donoghue and Candès). Variables, all standardized: block 0 = (γ₀, γ₁ … γₚ), block k+1 =
/// (δₖ₀, δₖ₁ … δₖₚ) for the segment's creative k; γ₀ is unpenalized, γ₁…ₚ carry λα‖·‖₁ and each δₖ carries
/// λ(1−α)/nⱼ‖·‖₂. The linear predictor of a row of creative k is η = γ₀ + δₖ₀ + Σₗ (xₗ − mₗ)/sₗ (γₗ + δₖₗ),
/// evaluated on the raw shared features as offₖ + xᵀθₖ with θₖ = (γ + δₖ)/s. Since η is linear in the
/// variables, the predictor at the extrapolated point is a combination of the stored predictors at the last two
/// iterates, so one iteration costs one pass for the gradient and one for the trial point's predictor. The
/// solver keeps its iterate between calls: solving a decreasing sequence of λ warm-starts each one.
/// All buffers are allocated once; an iteration allocates nothing but, when the creatives run in parallel, the
/// parallel loop's bookkeeping.
/// </summary>
internal sealed class SegmentSolver
{
    private readonly GroupLassoDesign _design;
    private readonly SegmentRows _rows;
    private readonly int _p;
    private readonly int _block;
    private readonly int _nj;
    private readonly double[] _wy;
    private double[] _z, _zPrev, _zNew;
    private readonly double[] _y, _d, _g, _theta, _acc;
    private double[] _gz;
    private double[] _gNew = [], _yNext = [], _gYNext = [];   // the majorization method's, allocated on first use
    private double[] _etaZ, _etaPrev, _etaNew;
    private readonly double[] _etaY, _t1, _t2;
    private double _l1, _group;
    private bool _freezeDeviations;
    private double _lipschitz;

    private readonly int _gatherRows;
    private readonly ParallelOptions? _creativesInParallel;
    private readonly CreativeScratch[] _scratch;   // per creative, so a pass can run its creatives in parallel
    private bool _current;   // whether _etaZ and _gz are η and ∇f at _z from a pass (so the next solve need not repeat it)

    private readonly GroupLassoSolver _method;
    private QuadraticMajorizer? _majorizer;

    /// <param name="design">The design.</param>
    /// <param name="segment">The segment solved.</param>
    /// <param name="method">The optimization method.</param>
    /// <param name="creativesInParallel">
    /// When given, a majorization pass (and the Gram build) runs the segment's creatives in parallel with these
    /// options, each into its own buffers, combined in creative order afterwards (the results do not depend on it);
    /// null: in turn.
    /// </param>
    public SegmentSolver(GroupLassoDesign design, int segment, GroupLassoSolver method = GroupLassoSolver.Fista, ParallelOptions? creativesInParallel = null)
    {
        _creativesInParallel = creativesInParallel;
        _method = method;
        _design = design;
        _rows = design.Segments[segment];
        _p = design.Data.FeatureCount;
        _block = _p + 1;
        _nj = _rows.CreativeCount;
        var dim = (_nj + 1) * _block;
        _z = new double[dim];
        _zPrev = new double[dim];
        _zNew = new double[dim];
        _y = new double[dim];
        _d = new double[dim];
        _g = new double[dim];
        _gz = new double[dim];
        _theta = new double[_p];
        _acc = new double[_p];
        var n = _rows.RowCount;
        _etaZ = new double[n];
        _etaPrev = new double[n];
        _etaNew = new double[n];
        _etaY = new double[n];
        _t1 = new double[n];
        _t2 = new double[n];
        _wy = new double[n];
        _gatherRows = RowBlock.Rows(_p);
        _scratch = new CreativeScratch[_nj];
        for (var k = 0; k < _nj; k++)
            _scratch[k] = new CreativeScratch(_p, _gatherRows);
        TensorPrimitives.Multiply(_rows.W, _rows.Y, _wy);
        double largest = 0;
        for (var k = 0; k < _nj; k++)
            largest = Math.Max(largest, TensorPrimitives.Sum(_rows.W.AsSpan(_rows.Start[k], _rows.Start[k + 1] - _rows.Start[k])));
        _lipschitz = Math.Max(0.5 * largest, 1e-300);
    }

    /// <summary>The standardized variables (block 0 = γ, block k+1 = δₖ).</summary>
    public ReadOnlySpan<double> Variables => _z;

    public int CreativeCount => _nj;

    /// <summary>Iterations of the last <see cref="Solve"/>.</summary>
    public int Iterations { get; private set; }

    /// <summary>The absolute KKT residual at the last <see cref="Solve"/>'s solution.</summary>
    public double KktResidual { get; private set; }

    /// <summary>Whether the last <see cref="Solve"/> met the tolerance.</summary>
    public bool Converged { get; private set; }

    /// <summary>The penalized objective at the current iterate, with the penalty of the last <see cref="Solve"/>.</summary>
    public double Objective() => Loss(_etaZ) + Penalty(_z);

    /// <summary>
    /// Sets the iterate to the intercept-only model (γ₀ = logit of the segment's weighted response rate, all
    /// else 0) and returns the largest group norm of a δₖ gradient and the largest |∂/∂γₗ| there.
    /// </summary>
    public (double GroupGradient, double CentreGradient) ResetToInterceptOnly()
    {
        _current = false;
        Array.Clear(_z);
        var share = TensorPrimitives.Sum(_rows.W);
        var rate = TensorPrimitives.Sum(_wy) / share;
        _z[0] = Math.Log(rate / (1 - rate));
        return NullGradients();
    }

    /// <summary>
    /// The α = 0 null model: δ = 0 and γ the unpenalized logistic fit of the segment's rows (solved here);
    /// returns the same gradient norms as <see cref="ResetToInterceptOnly"/>.
    /// </summary>
    public (double GroupGradient, double CentreGradient) ResetToPooledFit(double tolerance, int maxIterations)
    {
        ResetToInterceptOnly();
        _freezeDeviations = true;
        try
        {
            Solve(0, 0, tolerance, maxIterations);
        }
        finally
        {
            _freezeDeviations = false;
        }
        return NullGradients();
    }

    private (double, double) NullGradients()
    {
        _current = false;   // recomputed below without a pass
        Eta(_z, _etaZ);
        LossAndGradient(_etaZ, _gz);
        double group = 0;
        for (var k = 0; k < _nj; k++)
            group = Math.Max(group, GroupNorm(_gz.AsSpan((k + 1) * _block, _block)));
        double centre = 0;
        for (var l = 0; l < _p; l++)
        {
            if (_design.InverseScale[l] != 0)
                centre = Math.Max(centre, Math.Abs(_gz[1 + l]));
        }
        return (group, centre);
    }

    /// <summary>
    /// Solves at (λ, α) from the current iterate, until the absolute KKT residual is ≤ <paramref name="tolerance"/>,
    /// by the method given at construction.
    /// </summary>
    public void Solve(double lambda, double alpha, double tolerance, int maxIterations)
    {
        _l1 = lambda * alpha;
        _group = lambda * (1 - alpha) / _nj;
        if (_method == GroupLassoSolver.Majorization)
            SolveMajorized(tolerance, maxIterations);
        else
        {
            _current = false;
            SolveFista(tolerance, maxIterations);
        }
    }

    /// <summary>
    /// Accelerated majorization–minimization. For creative k's rows the logistic loss is majorized at a point y by
    /// its linearization plus ½ dₖᵀGₖdₖ, with dₖ the change of βₖ = γ + δₖ and Gₖ = ¼ Σ wᵢ x̃ᵢx̃ᵢᵀ (σ(1−σ) ≤ ¼; Gₖ
    /// does not depend on the iterate, so it is built once per solver). A step minimizes the penalized majorizer
    /// at y on the (p+1)² Grams (<see cref="QuadraticMajorizer"/>, no data access): FISTA in the metric of G, whose
    /// step is 1. The extrapolation of the next y is decided before the data pass (gradient restart test), so a
    /// single pass computes the new iterate's predictor, its gradient (for the exact KKT stopping rule) and the
    /// gradient at the next y; a step whose objective rises is rejected and replaced by a plain majorization step
    /// from the current iterate (function restart), which cannot increase the objective and needs no pass of its
    /// own unless that iterate's gradient was skipped. The new iterate's gradient is accumulated only when the
    /// G-metric gradient mapping says the KKT test may pass. <see cref="Iterations"/> counts the steps (rejected
    /// ones included): a solve makes Iterations + 1 passes over the rows, plus one per restart from an iterate
    /// whose gradient was skipped.
    /// </summary>
    private void SolveMajorized(double tolerance, int maxIterations)
    {
        if (_majorizer is null)
        {
            _majorizer = new QuadraticMajorizer(_design, _rows, this, _creativesInParallel);
            _gNew = new double[_z.Length];
            _yNext = new double[_z.Length];
            _gYNext = new double[_z.Length];
        }
        if (Start(tolerance))
            return;
        var fz = Loss(_etaZ) + Penalty(_z);
        var haveGradient = true;   // whether _gz is ∇f at _z
        var estimate = KktResidual;
        _z.AsSpan().CopyTo(_y);
        _gz.AsSpan().CopyTo(_g);
        var plain = true;   // y = z: the step is a pure majorization step
        double t = 1;
        for (var iter = 1; iter <= maxIterations; iter++)
        {
            Iterations = iter;
            // The majorizer's KKT residual at its minimizer differs from the true one by (Gₖ − Hₖ)dₖ, which shrinks
            // with the step: solve loosely far from the solution and to a fraction of the tolerance near it.
            _majorizer.Minimize(_y, _g, _zNew, Math.Max(0.1 * tolerance, 0.05 * estimate));
            double restart = 0;
            for (var i = 0; i < _z.Length; i++)
                restart += (_y[i] - _zNew[i]) * (_zNew[i] - _z[i]);
            var tFrom = restart > 0 ? 1 : t;
            var tNext = (1 + Math.Sqrt(1 + 4 * tFrom * tFrom)) / 2;
            var beta = (tFrom - 1) / tNext;
            // The gradient at the new iterate is needed for the KKT test only: skip it (half the pass's arithmetic)
            // while the gradient mapping in the metric of G, ‖AᵀGA(y − zNew)‖∞, says the test cannot pass yet.
            var mapping = _majorizer.MappingNorm(_y, _zNew);
            var check = beta == 0 || mapping <= tolerance;
            Extrapolate(_zNew, _z, beta, _yNext);
            Pass(_zNew, beta, _etaNew, check ? _gNew : null, beta > 0 ? _gYNext : null);
            var fNew = Loss(_etaNew) + Penalty(_zNew);
            if (!plain && fNew > fz + 1e-13 * Math.Abs(fz))
            {
                // Function restart: a plain majorization step from z, with its gradient.
                if (!haveGradient)
                    Pass(_z, 0, _etaZ, _gz, null);
                haveGradient = true;
                _z.AsSpan().CopyTo(_y);
                _gz.AsSpan().CopyTo(_g);
                plain = true;
                t = 1;
                continue;
            }
            (_z, _zNew) = (_zNew, _z);
            (_etaZ, _etaNew) = (_etaNew, _etaZ);
            fz = fNew;
            haveGradient = check;
            if (check)
            {
                (_gz, _gNew) = (_gNew, _gz);
                KktResidual = Kkt(_z, _gz);
                if (KktResidual <= tolerance)
                {
                    Converged = true;
                    _current = true;
                    return;
                }
                estimate = KktResidual;
            }
            else
                estimate = mapping;
            plain = beta == 0;
            if (plain)
            {
                _z.AsSpan().CopyTo(_y);
                _gz.AsSpan().CopyTo(_g);
            }
            else
            {
                _yNext.AsSpan().CopyTo(_y);
                _gYNext.AsSpan().CopyTo(_g);
            }
            t = tNext;
        }
        if (!haveGradient)
        {
            Pass(_z, 0, _etaZ, _gz, null);
            KktResidual = Kkt(_z, _gz);
        }
        Converged = false;
        _current = true;
    }

    /// <summary>
    /// One pass over the rows: writes η at <paramref name="z"/>, ∇f there (standardized variables) when
    /// <paramref name="gradient"/> is given, and ∇f at z + β(z − z_current) when <paramref name="gradientAhead"/>
    /// is given, whose predictor is η + β(η − η_current) with η_current the stored predictor of the current iterate.
    /// Each creative accumulates into its own buffers (in parallel when the solver was given options for it) and the
    /// blocks are combined in creative order, so the result is the same either way.
    /// </summary>
    private void Pass(double[] z, double beta, double[] eta, double[]? gradient, double[]? gradientAhead)
    {
        var here = gradient is not null;
        var ahead = gradientAhead is not null;
        if (_creativesInParallel is { } options && _nj > 1)
            Parallel.For(0, _nj, options, k => PassCreative(k, z, beta, eta, here, ahead));
        else
        {
            for (var k = 0; k < _nj; k++)
                PassCreative(k, z, beta, eta, here, ahead);
        }
        if (here)
            gradient.AsSpan(0, _block).Clear();
        if (ahead)
            gradientAhead.AsSpan(0, _block).Clear();
        for (var k = 0; k < _nj; k++)
        {
            var c = _scratch[k];
            if (here)
                StandardizedBlock(gradient, k, c.Sum, c.Acc);
            if (ahead)
                StandardizedBlock(gradientAhead, k, c.SumAhead, c.AccAhead);
        }
    }

    /// <summary>Creative k's part of <see cref="Pass"/>: its rows' η, and its Σ rᵢ and Σ rᵢxᵢ (raw features) in its scratch.</summary>
    private void PassCreative(int k, double[] z, double beta, double[] eta, bool here, bool ahead)
    {
        var x = _design.Data.Features.Span;
        var rows = _rows.Rows;
        var w = _rows.W;
        var wy = _wy;
        var current = _etaZ;
        var c = _scratch[k];
        var theta = c.Theta;
        var acc = c.Acc;
        var accAhead = c.AccAhead;
        var gathered = c.Gathered.AsSpan();
        var offset = RawCoefficients(z, k, theta);
        var from = _rows.Start[k];
        var to = _rows.Start[k + 1];
        Array.Clear(acc);
        Array.Clear(accAhead);
        double sr = 0, srAhead = 0;
        for (var at = from; at < to; at++)
        {
            // The creative's rows are scattered over the shared matrix; copying a block of them first keeps many
            // cache-line loads in flight (about twice as fast per row as reading them in place), and the
            // arithmetic below then reads the rows from L1/L2.
            var slot = (at - from) % _gatherRows;
            if (slot == 0)
                RowBlock.Gather(x, _p, rows.AsSpan(at, Math.Min(_gatherRows, to - at)), gathered);
            var row = gathered.Slice(slot * _p, _p);
            var e = offset + TensorPrimitives.Dot(row, theta);
            eta[at] = e;
            if (here)
            {
                var r = w[at] / (1 + Math.Exp(-e)) - wy[at];
                sr += r;
                TensorPrimitives.MultiplyAdd(row, r, acc, acc);
            }
            if (ahead)
            {
                var ea = e + beta * (e - current[at]);
                var ra = w[at] / (1 + Math.Exp(-ea)) - wy[at];
                srAhead += ra;
                TensorPrimitives.MultiplyAdd(row, ra, accAhead, accAhead);
            }
        }
        c.Sum = sr;
        c.SumAhead = srAhead;
    }

    /// <summary>One creative's buffers for a pass.</summary>
    private sealed class CreativeScratch(int p, int gatherRows)
    {
        public double[] Theta { get; } = new double[p];
        public double[] Acc { get; } = new double[p];
        public double[] AccAhead { get; } = new double[p];
        public double[] Gathered { get; } = new double[gatherRows * p];
        public double Sum { get; set; }
        public double SumAhead { get; set; }
    }

    /// <summary>
    /// From creative k's Σ rᵢ and Σ rᵢxᵢ (raw features), writes the gradient block of δₖ on the standardized
    /// scale and adds it to the centre's block 0 (which the caller clears).
    /// </summary>
    private void StandardizedBlock(Span<double> gradient, int k, double sr, ReadOnlySpan<double> acc)
    {
        var block = gradient.Slice((k + 1) * _block, _block);
        block[0] = sr;
        var slopes = block[1..];
        TensorPrimitives.MultiplyAdd(_design.Mean, -sr, acc, slopes);
        TensorPrimitives.Multiply(slopes, _design.InverseScale, slopes);
        var centre = gradient[.._block];
        TensorPrimitives.Add(centre, block, centre);
    }

    /// <summary>
    /// η and ∇f at the current iterate (one pass), its KKT residual and the counters' reset; returns whether the
    /// iterate already meets <paramref name="tolerance"/>.
    /// </summary>
    private bool Start(double tolerance)
    {
        // After a majorization solve _etaZ and _gz are already the predictor and gradient at _z (the loss's
        // gradient does not depend on λ), so the warm start of the next λ reuses them: one pass fewer per λ.
        if (!_current || _method != GroupLassoSolver.Majorization)
            Pass(_z, 0, _etaZ, _gz, null);
        _current = _method == GroupLassoSolver.Majorization;
        KktResidual = Kkt(_z, _gz);
        Iterations = 0;
        Converged = KktResidual <= tolerance;
        return Converged;
    }

    /// <summary>FISTA from the current iterate (see the class remarks).</summary>
    private void SolveFista(double tolerance, int maxIterations)
    {
        if (Start(tolerance))
            return;
        var fz = Loss(_etaZ) + Penalty(_z);
        _z.AsSpan().CopyTo(_zPrev);
        _etaZ.AsSpan().CopyTo(_etaPrev);
        double tPrev = 1;
        var nextCheck = 0;
        for (var iter = 1; iter <= maxIterations; iter++)
        {
            Iterations = iter;
            var lk = _lipschitz * 0.9;
            double t, beta, fNew;
            while (true)
            {
                t = (1 + Math.Sqrt(1 + 4 * (_lipschitz / lk) * tPrev * tPrev)) / 2;
                beta = (tPrev - 1) / t;
                Extrapolate(_z, _zPrev, beta, _y);
                Extrapolate(_etaZ, _etaPrev, beta, _etaY);
                var fy = LossAndGradient(_etaY, _g);
                Step(1 / lk);
                Eta(_zNew, _etaNew);
                fNew = Loss(_etaNew);
                TensorPrimitives.Subtract(_zNew, _y, _d);
                var bound = fy + TensorPrimitives.Dot(_g, _d) + 0.5 * lk * TensorPrimitives.Dot(_d, _d);
                if (fNew <= bound + 1e-12 * Math.Abs(fy) || lk > 1e300)
                    break;
                lk *= 2;
            }
            _lipschitz = lk;
            var fNewTotal = fNew + Penalty(_zNew);
            if (fNewTotal > fz + 1e-13 * Math.Abs(fz) && beta > 0)
            {
                // Function restart: drop the momentum and redo the step from z.
                _z.AsSpan().CopyTo(_zPrev);
                _etaZ.AsSpan().CopyTo(_etaPrev);
                tPrev = 1;
                continue;
            }
            var mapping = MappingNormAndRestart(lk, out var gradientRestart);
            (_zPrev, _z, _zNew) = (_z, _zNew, _zPrev);
            (_etaPrev, _etaZ, _etaNew) = (_etaZ, _etaNew, _etaPrev);
            fz = fNewTotal;
            tPrev = gradientRestart ? 1 : t;
            if (mapping <= tolerance && iter >= nextCheck)
            {
                LossAndGradient(_etaZ, _gz);
                KktResidual = Kkt(_z, _gz);
                if (KktResidual <= tolerance)
                {
                    Converged = true;
                    return;
                }
                nextCheck = iter + 10;
            }
        }
        LossAndGradient(_etaZ, _gz);
        KktResidual = Kkt(_z, _gz);
        Converged = KktResidual <= tolerance;
    }

    /// <summary>‖L(y − zNew)‖∞ (the gradient mapping) and whether (y − zNew)ᵀ(zNew − z) &gt; 0 (the gradient restart test).</summary>
    private double MappingNormAndRestart(double lk, out bool restart)
    {
        double norm = 0, inner = 0;
        for (var i = 0; i < _z.Length; i++)
        {
            var d = _y[i] - _zNew[i];
            norm = Math.Max(norm, Math.Abs(d));
            inner += d * (_zNew[i] - _z[i]);
        }
        restart = inner > 0;
        return lk * norm;
    }

    /// <summary>destination = current + β(current − previous).</summary>
    internal static void Extrapolate(ReadOnlySpan<double> current, ReadOnlySpan<double> previous, double beta, Span<double> destination)
    {
        if (beta == 0)
        {
            current.CopyTo(destination);
            return;
        }
        // destination = current + β(current − previous) = (1 + β)·current − β·previous
        TensorPrimitives.Multiply(previous, -beta, destination);
        TensorPrimitives.MultiplyAdd(current, 1 + beta, destination, destination);
    }

    /// <summary>zNew = prox_{step·h}(y − step·g).</summary>
    private void Step(double step)
    {
        TensorPrimitives.MultiplyAdd(_g, -step, _y, _zNew);
        Prox(_zNew, step);
    }

    internal void Prox(Span<double> v, double step)
    {
        var inv = _design.InverseScale;
        var soft = step * _l1;
        for (var l = 0; l < _p; l++)
        {
            var u = v[1 + l];
            v[1 + l] = inv[l] == 0 ? 0 : Math.Sign(u) * Math.Max(Math.Abs(u) - soft, 0);
        }
        var threshold = step * _group;
        for (var k = 0; k < _nj; k++)
        {
            var block = v.Slice((k + 1) * _block, _block);
            if (_freezeDeviations)
            {
                block.Clear();
                continue;
            }
            for (var l = 0; l < _p; l++)
            {
                if (inv[l] == 0)
                    block[1 + l] = 0;
            }
            var norm = TensorPrimitives.Norm(block);
            if (norm <= threshold)
                block.Clear();
            else if (threshold > 0)
                TensorPrimitives.Multiply(block, 1 - threshold / norm, block);
        }
    }

    internal double Penalty(ReadOnlySpan<double> z)
    {
        double pen = 0;
        if (_l1 > 0)
            pen += _l1 * TensorPrimitives.SumOfMagnitudes(z.Slice(1, _p));
        if (_group > 0)
        {
            for (var k = 0; k < _nj; k++)
                pen += _group * TensorPrimitives.Norm(z.Slice((k + 1) * _block, _block));
        }
        return pen;
    }

    /// <summary>The largest distance of −∇f from the subdifferential of the penalty, over γ₀, each γₗ and each group δₖ.</summary>
    internal double Kkt(ReadOnlySpan<double> z, ReadOnlySpan<double> g)
    {
        var inv = _design.InverseScale;
        var r = Math.Abs(g[0]);
        for (var l = 0; l < _p; l++)
        {
            if (inv[l] == 0)
                continue;
            var gl = g[1 + l];
            var zl = z[1 + l];
            r = Math.Max(r, zl != 0 ? Math.Abs(gl + _l1 * Math.Sign(zl)) : Math.Max(0, Math.Abs(gl) - _l1));
        }
        if (_freezeDeviations)
            return r;
        for (var k = 0; k < _nj; k++)
        {
            var zb = z.Slice((k + 1) * _block, _block);
            var gb = g.Slice((k + 1) * _block, _block);
            var norm = TensorPrimitives.Norm(zb);
            if (norm == 0)
            {
                r = Math.Max(r, Math.Max(0, GroupNorm(gb) - _group));
                continue;
            }
            double ss = 0;
            for (var l = 0; l <= _p; l++)
            {
                if (l > 0 && inv[l - 1] == 0)
                    continue;
                var e = gb[l] + _group * zb[l] / norm;
                ss += e * e;
            }
            r = Math.Max(r, Math.Sqrt(ss));
        }
        return r;
    }

    /// <summary>The 2-norm of a δ block's gradient over the intercept and the kept features.</summary>
    private double GroupNorm(ReadOnlySpan<double> g)
    {
        var ss = g[0] * g[0];
        var inv = _design.InverseScale;
        for (var l = 0; l < _p; l++)
        {
            if (inv[l] != 0)
                ss += g[1 + l] * g[1 + l];
        }
        return Math.Sqrt(ss);
    }

    /// <summary>
    /// The raw-feature coefficients of the segment's creative <paramref name="k"/> (θ = (γ + δₖ)/s) and its offset
    /// (γ₀ + δₖ₀ − mᵀθ), so that η = offset + xᵀθ.
    /// </summary>
    public double RawCoefficients(ReadOnlySpan<double> z, int k, Span<double> theta)
    {
        var gamma = z.Slice(1, _p);
        var delta = z.Slice((k + 1) * _block + 1, _p);
        TensorPrimitives.Add(gamma, delta, theta);
        TensorPrimitives.Multiply(theta, _design.InverseScale, theta);
        return z[0] + z[(k + 1) * _block] - TensorPrimitives.Dot(_design.Mean, theta);
    }

    private void Eta(ReadOnlySpan<double> z, Span<double> eta)
    {
        var x = _design.Data.Features.Span;
        var rows = _rows.Rows;
        for (var k = 0; k < _nj; k++)
        {
            var offset = RawCoefficients(z, k, _theta);
            for (var at = _rows.Start[k]; at < _rows.Start[k + 1]; at++)
                eta[at] = offset + TensorPrimitives.Dot(x.Slice(rows[at] * _p, _p), _theta);
        }
    }

    /// <summary>f = Σ wᵢ(softplus(ηᵢ) − yᵢηᵢ), with softplus(η) = max(η, 0) + log(1 + e^{−|η|}).</summary>
    private double Loss(ReadOnlySpan<double> eta)
    {
        Softplus(eta, _t1);
        return TensorPrimitives.Dot(_rows.W, _t1) - TensorPrimitives.Dot(_wy, eta);
    }

    private void Softplus(ReadOnlySpan<double> eta, Span<double> destination)
    {
        TensorPrimitives.Abs(eta, destination);
        TensorPrimitives.Negate(destination, destination);
        TensorPrimitives.Exp(destination, destination);
        TensorPrimitives.Add(destination, 1.0, destination);
        TensorPrimitives.Log(destination, destination);
        TensorPrimitives.Max(eta, 0.0, _t2);
        TensorPrimitives.Add(destination, _t2, destination);
    }

    /// <summary>Returns f(η) and writes ∇f with respect to the standardized variables into <paramref name="gradient"/>.</summary>
    private double LossAndGradient(ReadOnlySpan<double> eta, Span<double> gradient)
    {
        var loss = Loss(eta);
        var residual = _t1;
        TensorPrimitives.Sigmoid(eta, residual);
        TensorPrimitives.Multiply(residual, _rows.W, residual);
        TensorPrimitives.Subtract(residual, _wy, residual);
        var x = _design.Data.Features.Span;
        var rows = _rows.Rows;
        gradient[.._block].Clear();
        for (var k = 0; k < _nj; k++)
        {
            var from = _rows.Start[k];
            var to = _rows.Start[k + 1];
            Array.Clear(_acc);
            for (var at = from; at < to; at++)
                TensorPrimitives.MultiplyAdd(x.Slice(rows[at] * _p, _p), residual[at], _acc, _acc);
            StandardizedBlock(gradient, k, TensorPrimitives.Sum(residual.AsSpan(from, to - from)), _acc);
        }
        return loss;
    }
}
