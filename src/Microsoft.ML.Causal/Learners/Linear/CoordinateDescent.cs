namespace Microsoft.ML.Causal.Learners.Linear;

/// <summary>
/// Cyclic coordinate descent for the elastic net on a <see cref="LinearDesign"/> (Friedman, Hastie and
/// Tibshirani 2010): each coordinate's exact minimizer is the soft-thresholded partial residual correlation,
/// divided by 1 + λ(1 − α). Full sweeps alternate with sweeps over the nonzero coefficients until a full sweep
/// changes nothing beyond the tolerance. The residuals are kept up to date, so a sweep costs O(n · columns).
/// </summary>
internal sealed class CoordinateDescent
{
    private readonly LinearDesign _d;
    private readonly double[] _residual;
    private readonly double _threshold;
    private readonly int _maxSweeps;

    /// <summary>Starts at β̃ = 0 on <paramref name="design"/>.</summary>
    public CoordinateDescent(LinearDesign design, double tolerance, int maxSweeps)
    {
        _d = design;
        _maxSweeps = maxSweeps;
        Beta = new double[design.P];
        _residual = new double[design.N];
        double ss = 0;
        for (var i = 0; i < design.N; i++)
        {
            _residual[i] = design.Y[i] - design.YMean;
            ss += design.W[i] * _residual[i] * _residual[i];
        }
        _threshold = tolerance * Math.Sqrt(ss);
    }

    /// <summary>The standardized coefficients (the warm start of the next <see cref="Solve"/>).</summary>
    public double[] Beta { get; }

    /// <summary>The smallest λ at which every coefficient is 0: max_j |Σ w̄_i x̃_ij (y_i − ȳ)| / α (α floored at 1e-3, as for ridge there is none).</summary>
    public static double LambdaMax(LinearDesign d, double alpha)
    {
        double max = 0;
        foreach (var j in d.Kept)
        {
            var x = d.Column(j);
            double s = 0;
            for (var i = 0; i < d.N; i++)
                s += d.W[i] * x[i] * (d.Y[i] - d.YMean);
            max = Math.Max(max, Math.Abs(s));
        }
        return max / Math.Max(alpha, 1e-3);
    }

    /// <summary>Minimizes the elastic-net objective at (<paramref name="lambda"/>, <paramref name="alpha"/>) from the current <see cref="Beta"/>.</summary>
    /// <exception cref="InvalidOperationException">The sweeps ran out before convergence.</exception>
    public void Solve(double lambda, double alpha, string learner, CancellationToken cancellation)
    {
        var l1 = lambda * alpha;
        var l2 = lambda * (1 - alpha);
        var all = _d.Kept;
        var active = new List<int>(all.Length);
        var sweeps = 0;
        while (true)
        {
            var change = Sweep(all, l1, l2);
            if (++sweeps >= _maxSweeps && change > _threshold)
                throw NotConverged(learner, lambda);
            if (change <= _threshold)
                return;
            cancellation.ThrowIfCancellationRequested();
            active.Clear();
            foreach (var j in all)
            {
                if (Beta[j] != 0)
                    active.Add(j);
            }
            var activeColumns = active.ToArray();
            do
            {
                change = Sweep(activeColumns, l1, l2);
                if (++sweeps >= _maxSweeps && change > _threshold)
                    throw NotConverged(learner, lambda);
            }
            while (change > _threshold);
        }
    }

    private double Sweep(int[] columns, double l1, double l2)
    {
        double largest = 0;
        var n = _d.N;
        var w = _d.W;
        foreach (var j in columns)
        {
            var x = _d.Column(j);
            var old = Beta[j];
            double z = 0;
            for (var i = 0; i < n; i++)
                z += w[i] * x[i] * _residual[i];
            z += old;   // Σ w̄ x̃² = 1 on standardized columns
            var updated = Math.Abs(z) <= l1 ? 0 : (z - Math.CopySign(l1, z)) / (1 + l2);
            var delta = updated - old;
            if (delta == 0)
                continue;
            Beta[j] = updated;
            for (var i = 0; i < n; i++)
                _residual[i] -= delta * x[i];
            largest = Math.Max(largest, Math.Abs(delta));
        }
        return largest;
    }

    private InvalidOperationException NotConverged(string learner, double lambda) =>
        new($"{learner}: coordinate descent did not converge within {_maxSweeps} sweeps at λ = {lambda:G6}. Raise MaxIterations or Tolerance, or use a larger LambdaMinRatio.");
}
