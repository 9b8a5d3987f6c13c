using Microsoft.ML.Causal.Numerics;

namespace Microsoft.ML.Causal.Segmentation.GroupLasso;

/// <summary>
/// K-fold cross-validation over (α, λ): folds stratified by (creative, response), each α's λ path taken from
/// all rows, each (α, fold) pair fitted along that path with warm starts, the held-out binomial deviance
/// recorded at every λ. The (α, fold) pairs run in parallel; each writes its own slot and the sums are formed in
/// a fixed order afterwards, so the curve does not depend on the thread count.
/// </summary>
internal static class GroupLassoCrossValidator
{
    public static GroupLassoCrossValidation Run(MultiCreativeData data, GroupLassoOptions options)
    {
        var k = options.Folds;
        var fold = Folds(data, k, options.Seed);
        var full = GroupLassoDesign.Build(data);
        var alphas = options.Alphas.ToArray();
        var lambdas = new double[alphas.Length][];
        var engines = new GroupLassoEngine[alphas.Length];
        for (var a = 0; a < alphas.Length; a++)
        {
            engines[a] = new GroupLassoEngine(full, alphas[a], options, parallelSegments: true);
            lambdas[a] = engines[a].PathLambdas();
        }
        var training = new GroupLassoDesign[k];
        var heldOut = new (SegmentRows[] Rows, double Weight)[k];
        Parallel.For(0, k, options.ParallelOptions, f =>
        {
            training[f] = GroupLassoDesign.Build(data, i => fold[i] != f);
            heldOut[f] = HeldOut(data, fold, f);
        });
        var deviance = new double[alphas.Length * k][];
        Parallel.For(0, alphas.Length * k, options.ParallelOptions, task =>
        {
            var a = task / k;
            var f = task % k;
            var engine = new GroupLassoEngine(training[f], alphas[a], options, parallelSegments: false);
            var path = lambdas[a];
            var d = new double[path.Length];
            var theta = new double[data.FeatureCount];
            for (var s = 0; s < path.Length; s++)
            {
                engine.Solve(path[s]);
                d[s] = Deviance(data, engine, heldOut[f].Rows, theta);
            }
            deviance[task] = d;
        });
        var curve = new List<GroupLassoCvPoint>();
        var byAlpha = new GroupLassoCvPoint[alphas.Length][];
        for (var a = 0; a < alphas.Length; a++)
        {
            byAlpha[a] = new GroupLassoCvPoint[lambdas[a].Length];
            for (var s = 0; s < lambdas[a].Length; s++)
            {
                double mean = 0;
                for (var f = 0; f < k; f++)
                    mean += deviance[a * k + f][s];
                mean /= k;
                double ss = 0;
                for (var f = 0; f < k; f++)
                {
                    var e = deviance[a * k + f][s] - mean;
                    ss += e * e;
                }
                byAlpha[a][s] = new GroupLassoCvPoint(alphas[a], lambdas[a][s], s, mean, Math.Sqrt(ss / (k - 1) / k));
                curve.Add(byAlpha[a][s]);
            }
        }
        var (minA, minS) = (0, 0);
        for (var a = 0; a < alphas.Length; a++)
        {
            for (var s = 0; s < byAlpha[a].Length; s++)
            {
                if (byAlpha[a][s].MeanDeviance < byAlpha[minA][minS].MeanDeviance)
                    (minA, minS) = (a, s);
            }
        }
        var minimum = byAlpha[minA][minS];
        var oneSe = minimum;
        for (var s = 0; s < minS; s++)
        {
            if (byAlpha[minA][s].MeanDeviance <= minimum.MeanDeviance + minimum.StandardError)
            {
                oneSe = byAlpha[minA][s];
                break;
            }
        }
        var selected = options.Rule == GroupLassoSelectionRule.Minimum ? minimum : oneSe;
        var sel = Array.IndexOf(alphas, selected.Alpha);
        var fullPath = GroupLassoSegmenter.SolvePath(engines[sel], lambdas[sel]);
        return new GroupLassoCrossValidation([.. curve], minimum, oneSe, options.Rule, fullPath, k);
    }

    /// <summary>
    /// The fold of each row: rows are grouped by (creative, response) in row order, each group is shuffled with
    /// one seeded generator (groups in a fixed order), and the rows are dealt to folds 0, 1, …, K−1 in turn,
    /// continuing from group to group, so every fold has about 1/K of each creative's responders and non-responders.
    /// </summary>
    internal static int[] Folds(MultiCreativeData data, int k, int seed)
    {
        var n = data.RowCount;
        if (n < k)
            throw new DataValidationException("GroupLasso", data.Names.Response, null, $"there are {n} rows, fewer than the {k} cross-validation folds.", "Use fewer folds or more rows.");
        var groups = new List<int>[data.CreativeCount * 2];
        for (var g = 0; g < groups.Length; g++)
            groups[g] = [];
        var cr = data.Creatives.Span;
        var y = data.Responses.Span;
        for (var i = 0; i < n; i++)
            groups[cr[i] * 2 + (int)y[i]].Add(i);
        var random = new CausalRandom(seed);
        var fold = new int[n];
        var next = 0;
        foreach (var group in groups)
        {
            var rows = group.ToArray();
            random.Shuffle<int>(rows);
            foreach (var i in rows)
                fold[i] = next++ % k;
        }
        return fold;
    }

    private static (SegmentRows[], double) HeldOut(MultiCreativeData data, int[] fold, int f)
    {
        var counts = new int[data.CreativeCount];
        double total = 0;
        var cr = data.Creatives.Span;
        for (var i = 0; i < data.RowCount; i++)
        {
            var w = data.WeightAt(i);
            if (fold[i] != f || w <= 0)
                continue;
            counts[cr[i]]++;
            total += w;
        }
        if (!(total > 0))
            throw new DataValidationException("GroupLasso", data.Names.Weight, null, $"every held-out row of cross-validation fold {f} has weight 0.", "Give more rows a positive weight or use fewer folds.");
        return (SegmentRows.Build(data, counts, i => fold[i] == f, total), total);
    }

    /// <summary>The held-out deviance per unit weight: 2 Σ w (softplus(η) − yη) / Σ w over the fold's rows.</summary>
    private static double Deviance(MultiCreativeData data, GroupLassoEngine engine, SegmentRows[] heldOut, double[] theta)
    {
        var x = data.Features.Span;
        var p = data.FeatureCount;
        double total = 0;
        for (var j = 0; j < heldOut.Length; j++)
        {
            var rows = heldOut[j];
            var solver = engine.Solvers[j];
            for (var c = 0; c < rows.CreativeCount; c++)
            {
                var offset = solver.RawCoefficients(solver.Variables, c, theta);
                for (var at = rows.Start[c]; at < rows.Start[c + 1]; at++)
                {
                    var eta = offset + System.Numerics.Tensors.TensorPrimitives.Dot(x.Slice(rows.Rows[at] * p, p), theta);
                    total += rows.W[at] * (LogisticMath.Softplus(eta) - rows.Y[at] * eta);
                }
            }
        }
        return 2 * total;
    }
}
