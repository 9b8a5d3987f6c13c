using Microsoft.ML.Causal.Learners;

namespace Microsoft.ML.Causal.Trainers;

/// <summary>
/// Cross-fitted nuisance estimates, each indexed by matrix row and out of fold: the outcome per arm μ̂ₐ(x),
/// the propensity per arm êₐ(x) (clipped), the outcome m̂(x) = E[Y | x] and, for a continuous treatment, the
/// dose t̂(x) = E[T | x].
/// </summary>
internal static class Nuisances
{
    /// <summary>μ̂ₐ for every arm: the outcome learner fitted on arm a's rows of the other folds.</summary>
    public static double[][] ArmOutcomes(CateData data, int[] folds, int k, IRegressionLearner learner, FitContext context)
    {
        var labels = data.Outcome.ToArray();
        var arms = data.Treatment.Arms.ToArray();
        return CrossFitting.Fit(data, folds, k, Enumerable.Range(0, data.Treatment.ArmNames.Length)
            .Select(a => CrossFitting.Target.Regression(labels, r => arms[r] == a, learner,
                CausalContext.DeriveSeed(context.Seed, 100 + a), $"outcome model of arm '{data.Treatment.ArmNames[a]}'"))
            .ToArray(), context);
    }

    /// <summary>m̂ = E[Y | x] over every arm.</summary>
    public static double[] Outcome(CateData data, int[] folds, int k, IRegressionLearner learner, FitContext context) =>
        CrossFitting.Regression(data, folds, k, data.Outcome.ToArray(), _ => true, learner, context with { Seed = CausalContext.DeriveSeed(context.Seed, 200) }, "outcome model");

    /// <summary>t̂ = E[T | x] for a continuous treatment.</summary>
    public static double[] Dose(CateData data, int[] folds, int k, IRegressionLearner learner, FitContext context) =>
        CrossFitting.Regression(data, folds, k, data.Treatment.Doses.ToArray(), _ => true, learner, context with { Seed = CausalContext.DeriveSeed(context.Seed, 300) }, "treatment model");

    /// <summary>
    /// êₐ for every arm, clipped to the options' bounds: known (a column, a constant or arm shares) or learned —
    /// for two arms one classifier of the non-control arm, for more one classifier per arm against the rest,
    /// normalized to sum to 1. Writes the overlap diagnostics to the log (a warning when any row was clipped).
    /// </summary>
    public static (double[][] Propensities, OverlapDiagnostics Overlap) Propensities(CateData data, int[] folds, int k, PropensityOptions options,
        IClassificationLearner learner, FitContext context, string component)
    {
        var t = data.Treatment;
        var arms = t.ArmNames.Length;
        var n = data.Features.RowCount;
        var rows = data.RowIndices();
        var e = Enumerable.Range(0, arms).Select(_ => new double[n]).ToArray();
        var known = true;
        if (!data.Propensity.IsEmpty || options.Constant is not null)
        {
            var treated = 1 - t.Control;
            var column = data.Propensity.Span;
            foreach (var r in rows)
            {
                e[treated][r] = column.IsEmpty ? options.Constant!.Value : column[r];
                e[t.Control][r] = 1 - e[treated][r];
            }
        }
        else if (options.ArmShares is { } shares)
        {
            foreach (var r in rows)
            {
                for (var a = 0; a < arms; a++)
                    e[a][r] = shares[a];
            }
        }
        else
        {
            known = false;
            var codes = t.Arms.ToArray();
            var modelled = arms == 2 ? [1 - t.Control] : Enumerable.Range(0, arms).ToArray();
            var fitted = CrossFitting.Fit(data, folds, k, modelled
                .Select(a => CrossFitting.Target.Classification(codes.Select(c => c == a ? 1.0 : 0.0).ToArray(), _ => true, learner,
                    CausalContext.DeriveSeed(context.Seed, 400 + a), $"propensity model of arm '{t.ArmNames[a]}'"))
                .ToArray(), context);
            for (var i = 0; i < modelled.Length; i++)
                e[modelled[i]] = fitted[i];
            foreach (var r in rows)
            {
                if (arms == 2)
                {
                    e[t.Control][r] = 1 - e[1 - t.Control][r];
                    continue;
                }
                var total = 0.0;
                for (var a = 0; a < arms; a++)
                    total += e[a][r];
                for (var a = 0; a < arms; a++)
                    e[a][r] = total > 0 ? e[a][r] / total : 1.0 / arms;
            }
        }
        double min = 1, max = 0;
        var clipped = 0;
        foreach (var r in rows)
        {
            var any = false;
            for (var a = 0; a < arms; a++)
            {
                var v = e[a][r];
                min = Math.Min(min, v);
                max = Math.Max(max, v);
                if (v < options.ClipLower || v > options.ClipUpper)
                {
                    any = true;
                    e[a][r] = Math.Clamp(v, options.ClipLower, options.ClipUpper);
                }
            }
            clipped += any ? 1 : 0;
        }
        var overlap = new OverlapDiagnostics(min, max, (double)clipped / rows.Length, options.ClipLower, options.ClipUpper, known);
        context.Log?.Invoke(clipped > 0 ? CausalLogKind.Warning : CausalLogKind.Info, component,
            clipped > 0 ? $"{overlap}. Poor overlap: consider the overlap-weighted estimand, or features that predict treatment less sharply." : overlap.ToString());
        return (e, overlap);
    }
}
