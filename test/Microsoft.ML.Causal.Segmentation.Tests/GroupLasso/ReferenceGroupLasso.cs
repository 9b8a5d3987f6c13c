using Microsoft.ML.Causal.Segmentation.GroupLasso;

namespace Microsoft.ML.Causal.Segmentation.Tests.GroupLasso;

/// <summary>
/// An independent, slow implementation of the group-lasso segmentation objective for tests: its own
/// standardization (naive loops, explicit standardized matrix), objective, gradient and KKT residual, and a
/// cyclic block coordinate descent solver (one proximal-gradient step per block with the block's own curvature
/// bound ¼·Σ w‖a‖²), which shares no code with the FISTA solver.
/// Variables per segment j: g[j] = (γ₀, γ₁…γₚ); per creative c: d[c] = (δ₀, δ₁…δₚ), all standardized.
/// </summary>
internal sealed class ReferenceGroupLasso
{
    private readonly int _n, _p, _m, _c;
    private readonly double[][] _xs;   // standardized rows
    private readonly double[] _y, _w;  // w normalized to sum 1
    private readonly int[] _creative, _segmentOf, _nj;
    private readonly bool[] _kept;
    private double[] _eta = [];

    public ReferenceGroupLasso(double[] x, int p, double[] y, int[] creative, int[] segmentOf, double[]? weights = null)
    {
        _n = y.Length;
        _p = p;
        _c = segmentOf.Length;
        _m = segmentOf.Max() + 1;
        _y = y;
        _creative = creative;
        _segmentOf = segmentOf;
        _nj = new int[_m];
        foreach (var s in segmentOf)
            _nj[s]++;
        _w = new double[_n];
        var total = 0.0;
        for (var i = 0; i < _n; i++)
            total += weights?[i] ?? 1;
        for (var i = 0; i < _n; i++)
            _w[i] = (weights?[i] ?? 1) / total;
        Mean = new double[p];
        Sd = new double[p];
        _kept = new bool[p];
        for (var l = 0; l < p; l++)
        {
            double mu = 0;
            for (var i = 0; i < _n; i++)
                mu += _w[i] * x[i * p + l];
            double v = 0;
            for (var i = 0; i < _n; i++)
                v += _w[i] * (x[i * p + l] - mu) * (x[i * p + l] - mu);
            _kept[l] = v > 1e-300;
            Mean[l] = _kept[l] ? mu : 0;
            Sd[l] = Math.Sqrt(v);
        }
        _xs = new double[_n][];
        for (var i = 0; i < _n; i++)
        {
            _xs[i] = new double[p];
            for (var l = 0; l < p; l++)
                _xs[i][l] = _kept[l] ? (x[i * p + l] - Mean[l]) / Sd[l] : 0;
        }
        G = new double[_m][];
        D = new double[_c][];
        for (var j = 0; j < _m; j++)
            G[j] = new double[p + 1];
        for (var c = 0; c < _c; c++)
            D[c] = new double[p + 1];
    }

    public double[] Mean { get; }

    public double[] Sd { get; }

    public double[][] G { get; }

    public double[][] D { get; }

    /// <summary>Loads a fitted model's original-scale coefficients into (G, D) on the standardized scale.</summary>
    public void Load(GroupLassoModel model)
    {
        for (var j = 0; j < _m; j++)
            ToStandardized(model.Segments[j].Intercept, model.Segments[j].Coefficients, G[j]);
        var beta = new double[_p + 1];
        for (var c = 0; c < _c; c++)
        {
            ToStandardized(model.Creatives[c].Intercept, model.Creatives[c].Coefficients, beta);
            for (var l = 0; l <= _p; l++)
                D[c][l] = beta[l] - G[_segmentOf[c]][l];
        }
    }

    private void ToStandardized(double intercept, IReadOnlyList<double> slopes, double[] into)
    {
        into[0] = intercept;
        for (var l = 0; l < _p; l++)
        {
            into[0] += Mean[l] * slopes[l];
            into[l + 1] = slopes[l] * Sd[l];
        }
    }

    private double Eta(int i)
    {
        var c = _creative[i];
        var g = G[_segmentOf[c]];
        var d = D[c];
        var e = g[0] + d[0];
        for (var l = 0; l < _p; l++)
            e += (g[l + 1] + d[l + 1]) * _xs[i][l];
        return e;
    }

    public double Objective(double lambda, double alpha)
    {
        double f = 0;
        for (var i = 0; i < _n; i++)
        {
            var e = Eta(i);
            f += _w[i] * ((e > 0 ? e + Math.Log(1 + Math.Exp(-e)) : Math.Log(1 + Math.Exp(e))) - _y[i] * e);
        }
        for (var j = 0; j < _m; j++)
        {
            for (var l = 1; l <= _p; l++)
                f += lambda * alpha * Math.Abs(G[j][l]);
        }
        for (var c = 0; c < _c; c++)
            f += lambda * (1 - alpha) / _nj[_segmentOf[c]] * Norm(D[c]);
        return f;
    }

    /// <summary>∇ of the loss: per segment (γ block) and per creative (δ block).</summary>
    public (double[][] Gamma, double[][] Delta) Gradient()
    {
        var gg = new double[_m][];
        var gd = new double[_c][];
        for (var j = 0; j < _m; j++)
            gg[j] = new double[_p + 1];
        for (var c = 0; c < _c; c++)
            gd[c] = new double[_p + 1];
        for (var i = 0; i < _n; i++)
        {
            var r = _w[i] * (1 / (1 + Math.Exp(-Eta(i))) - _y[i]);
            var c = _creative[i];
            var j = _segmentOf[c];
            gg[j][0] += r;
            gd[c][0] += r;
            for (var l = 0; l < _p; l++)
            {
                gg[j][l + 1] += r * _xs[i][l];
                gd[c][l + 1] += r * _xs[i][l];
            }
        }
        return (gg, gd);
    }

    /// <summary>The KKT residual relative to the intercept-only model's largest gradient (the library's definition, recomputed).</summary>
    public double RelativeKkt(double lambda, double alpha)
    {
        var (gg, gd) = Gradient();
        double r = 0;
        for (var j = 0; j < _m; j++)
        {
            r = Math.Max(r, Math.Abs(gg[j][0]));
            for (var l = 1; l <= _p; l++)
            {
                if (!_kept[l - 1])
                    continue;
                var z = G[j][l];
                r = Math.Max(r, z != 0 ? Math.Abs(gg[j][l] + lambda * alpha * Math.Sign(z)) : Math.Max(0, Math.Abs(gg[j][l]) - lambda * alpha));
            }
        }
        for (var c = 0; c < _c; c++)
        {
            var t = lambda * (1 - alpha) / _nj[_segmentOf[c]];
            var norm = Norm(D[c]);
            if (norm == 0)
            {
                r = Math.Max(r, Math.Max(0, Norm(gd[c]) - t));
                continue;
            }
            double ss = 0;
            for (var l = 0; l <= _p; l++)
                ss += Math.Pow(gd[c][l] + t * D[c][l] / norm, 2);
            r = Math.Max(r, Math.Sqrt(ss));
        }
        return r / NullScale();
    }

    private double NullScale()
    {
        var (saveG, saveD) = (G.Select(a => (double[])a.Clone()).ToArray(), D.Select(a => (double[])a.Clone()).ToArray());
        for (var j = 0; j < _m; j++)
        {
            Array.Clear(G[j]);
            double wy = 0, ws = 0;
            for (var i = 0; i < _n; i++)
            {
                if (_segmentOf[_creative[i]] != j)
                    continue;
                wy += _w[i] * _y[i];
                ws += _w[i];
            }
            G[j][0] = Math.Log(wy / ws / (1 - wy / ws));
        }
        foreach (var d in D)
            Array.Clear(d);
        var (gg, gd) = Gradient();
        var s = Math.Max(gg.Max(g => g.Skip(1).Select(Math.Abs).DefaultIfEmpty(0).Max()), gd.Max(Norm));
        for (var j = 0; j < _m; j++)
            saveG[j].CopyTo(G[j], 0);
        for (var c = 0; c < _c; c++)
            saveD[c].CopyTo(D[c], 0);
        return s;
    }

    /// <summary>Cyclic block coordinate descent from zero: γ₀, each γₗ, each δ block in turn, until the objective stops moving.</summary>
    public double Solve(double lambda, double alpha, int sweeps = 200_000)
    {
        _eta = new double[_n];
        for (var i = 0; i < _n; i++)
            _eta[i] = Eta(i);
        var previous = Objective(lambda, alpha);
        for (var sweep = 0; sweep < sweeps; sweep++)
        {
            for (var j = 0; j < _m; j++)
            {
                for (var l = 0; l <= _p; l++)
                    UpdateCentre(j, l, lambda * alpha);
            }
            for (var c = 0; c < _c; c++)
                UpdateDeviation(c, lambda * (1 - alpha) / _nj[_segmentOf[c]]);
            var current = Objective(lambda, alpha);
            if (previous - current <= 1e-14 * Math.Abs(current) && sweep > 10)
                return current;
            previous = current;
        }
        return previous;
    }

    private void UpdateCentre(int j, int l, double l1)
    {
        if (l > 0 && !_kept[l - 1])
            return;
        double grad = 0, curvature = 0;
        for (var i = 0; i < _n; i++)
        {
            if (_segmentOf[_creative[i]] != j)
                continue;
            var a = l == 0 ? 1 : _xs[i][l - 1];
            var pr = 1 / (1 + Math.Exp(-_eta[i]));
            grad += _w[i] * (pr - _y[i]) * a;
            curvature += 0.25 * _w[i] * a * a;
        }
        if (curvature == 0)
            return;
        var u = G[j][l] - grad / curvature;
        var t = l == 0 ? 0 : l1 / curvature;
        var updated = Math.Sign(u) * Math.Max(Math.Abs(u) - t, 0);
        var change = updated - G[j][l];
        G[j][l] = updated;
        for (var i = 0; i < _n; i++)
        {
            if (_segmentOf[_creative[i]] == j)
                _eta[i] += change * (l == 0 ? 1 : _xs[i][l - 1]);
        }
    }

    private void UpdateDeviation(int c, double threshold)
    {
        var grad = new double[_p + 1];
        double curvature = 0;
        for (var i = 0; i < _n; i++)
        {
            if (_creative[i] != c)
                continue;
            var r = _w[i] * (1 / (1 + Math.Exp(-_eta[i])) - _y[i]);
            grad[0] += r;
            var sq = 1.0;
            for (var l = 0; l < _p; l++)
            {
                grad[l + 1] += r * _xs[i][l];
                sq += _xs[i][l] * _xs[i][l];
            }
            curvature += 0.25 * _w[i] * sq;
        }
        var v = new double[_p + 1];
        for (var l = 0; l <= _p; l++)
            v[l] = l > 0 && !_kept[l - 1] ? 0 : D[c][l] - grad[l] / curvature;
        var norm = Norm(v);
        var scale = norm <= threshold / curvature ? 0 : 1 - threshold / curvature / norm;
        var change = new double[_p + 1];
        for (var l = 0; l <= _p; l++)
        {
            change[l] = scale * v[l] - D[c][l];
            D[c][l] = scale * v[l];
        }
        for (var i = 0; i < _n; i++)
        {
            if (_creative[i] != c)
                continue;
            _eta[i] += change[0];
            for (var l = 0; l < _p; l++)
                _eta[i] += change[l + 1] * _xs[i][l];
        }
    }

    private static double Norm(double[] v) => Math.Sqrt(v.Sum(a => a * a));
}
