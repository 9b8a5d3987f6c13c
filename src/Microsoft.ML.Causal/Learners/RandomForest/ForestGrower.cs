using Microsoft.ML.Causal.Learners.Trees;
using Microsoft.ML.Causal.Numerics;

namespace Microsoft.ML.Causal.Learners.RandomForest;

/// <summary>
/// Grows the trees of a random forest on the shared histogram engine: each tree draws its rows (seed + tree
/// index), splits on variance reduction of the centred labels with mtry features per node, and sets each leaf to
/// the weighted mean label of its rows (of its estimation rows when honest). Trees grow in parallel, one
/// thread each, and nothing depends on which thread grew which tree.
/// </summary>
internal static class ForestGrower
{
    public static (ForestEnsemble Forest, double[]? OutOfBag) Train(TrainingSet data, RandomForestOptions options, FitContext context, string learner, bool outOfBag)
    {
        var seed = options.Seed ?? context.Seed;
        var binned = data.Features.GetBinned(options.MaxBins);
        var n = data.Features.RowCount;
        var p = data.Features.ColumnCount;
        var labels = data.Labels.Span.ToArray();
        var all = data.RowIndices();
        Array.Sort(all);
        var sampleSize = Math.Max(options.Honest ? 2 : 1, (int)Math.Round(options.SampleFraction * all.Length));

        // Centre the labels so split gains do not lose digits to a large mean; leaves add the mean back.
        double sw = 0, swy = 0;
        foreach (var r in all)
        {
            sw += data.WeightOf(r);
            swy += data.WeightOf(r) * labels[r];
        }
        var mean = swy / sw;
        var gradients = new double[n];
        var hessians = new double[n];
        foreach (var r in all)
        {
            var w = data.WeightOf(r);
            gradients[r] = -w * (labels[r] - mean);
            hessians[r] = w;
        }

        var builder = new TreeBuilder(binned, new TreeGrowthOptions
        {
            MaxLeaves = int.MaxValue,
            MaxDepth = options.MaxDepth,
            MinRowsInLeaf = options.MinRowsInLeaf,
            MinHessianInLeaf = 0,
            L2 = 0,
            FeatureFractionPerNode = (double)options.MtryFor(p) / p,
        }, new ParallelOptions { MaxDegreeOfParallelism = 1, CancellationToken = context.CancellationToken });
        var mask = Enumerable.Repeat(true, p).ToArray();
        var trees = new RegressionTree[options.NumberOfTrees];
        var inSample = outOfBag ? new ulong[options.NumberOfTrees][] : null;
        var done = 0;

        Parallel.For(0, options.NumberOfTrees, context.ParallelOptions, t =>
        {
            var random = new CausalRandom((long)seed + t);
            var sample = Draw(all, sampleSize, options.Sampling, random);
            int[] splitRows, estimationRows;
            if (options.Honest)
            {
                var shuffled = sample.ToArray();
                random.Shuffle(shuffled.AsSpan());
                var cut = Math.Clamp((int)Math.Round(options.HonestyFraction * shuffled.Length), 1, shuffled.Length - 1);
                splitRows = shuffled[..cut];
                estimationRows = shuffled[cut..];
                Array.Sort(splitRows);
                Array.Sort(estimationRows);
            }
            else
            {
                splitRows = sample;
                estimationRows = sample;
            }
            var (tree, _, _) = builder.Grow(splitRows.ToArray(), gradients, hessians, mask, random, unitHessians: data.Weights.IsEmpty);
            trees[t] = WithLeafMeans(tree, binned, estimationRows, labels, data, mean);
            if (inSample is not null)
            {
                var bits = new ulong[(n + 63) / 64];
                foreach (var r in sample)
                    bits[r >> 6] |= 1UL << (r & 63);
                inSample[t] = bits;
            }
            var count = Interlocked.Increment(ref done);
            context.Progress?.Report(new LearnerProgress(learner, count, options.NumberOfTrees, $"tree {count} of {options.NumberOfTrees}"));
        });

        var forest = new ForestEnsemble(p, trees);
        return (forest, inSample is null ? null : OutOfBagPredictions(forest, binned, all, inSample, n, context));
    }

    /// <summary>Rows drawn for one tree, sorted: without replacement (a partial shuffle) or with replacement.</summary>
    private static int[] Draw(int[] rows, int size, ForestSampling sampling, CausalRandom random)
    {
        int[] sample;
        if (sampling == ForestSampling.Bootstrap)
        {
            sample = new int[size];
            for (var i = 0; i < size; i++)
                sample[i] = rows[random.NextInt(rows.Length)];
        }
        else
        {
            var copy = rows.ToArray();
            for (var i = 0; i < size; i++)
            {
                var j = i + random.NextInt(copy.Length - i);
                (copy[i], copy[j]) = (copy[j], copy[i]);
            }
            sample = copy[..size];
        }
        Array.Sort(sample);
        return sample;
    }

    /// <summary>
    /// Leaf values = weighted mean label of <paramref name="rows"/> in each leaf. A leaf that none of them reaches
    /// (possible with honesty) keeps the mean of the rows it was split on.
    /// </summary>
    private static RegressionTree WithLeafMeans(RegressionTree tree, BinnedMatrix binned, int[] rows, double[] labels, TrainingSet data, double mean)
    {
        var leaves = tree.LeafValues.Length;
        var sum = new double[leaves];
        var weight = new double[leaves];
        foreach (var r in rows)
        {
            var leaf = tree.LeafOfBinned(binned, r);
            var w = data.WeightOf(r);
            sum[leaf] += w * labels[r];
            weight[leaf] += w;
        }
        var values = new double[leaves];
        for (var k = 0; k < leaves; k++)
            values[k] = weight[k] > 0 ? sum[k] / weight[k] : mean + tree.LeafValues[k];
        return new RegressionTree(tree.Feature, tree.Threshold, tree.ThresholdBin, tree.MissingLeft, tree.Left, tree.Right, tree.Gain, values);
    }

    /// <summary>
    /// For each fitted row, the mean prediction of the trees that did not draw it, summed in tree order (so the
    /// result does not depend on threads). A row every tree drew gets the whole forest's prediction.
    /// </summary>
    private static double[] OutOfBagPredictions(ForestEnsemble forest, BinnedMatrix binned, int[] rows, ulong[][] inSample, int n, FitContext context)
    {
        var oob = new double[n];
        Parallel.For(0, (rows.Length + 1023) / 1024, context.ParallelOptions, block =>
        {
            var end = Math.Min(rows.Length, (block + 1) * 1024);
            for (var i = block * 1024; i < end; i++)
            {
                var r = rows[i];
                double sum = 0, all = 0;
                var count = 0;
                for (var t = 0; t < forest.Trees.Count; t++)
                {
                    var tree = forest.Trees[t];
                    var value = tree.LeafValues[tree.LeafOfBinned(binned, r)];
                    all += value;
                    if ((inSample[t][r >> 6] & (1UL << (r & 63))) == 0)
                    {
                        sum += value;
                        count++;
                    }
                }
                oob[r] = count > 0 ? sum / count : all / forest.Trees.Count;
            }
        });
        return oob;
    }
}
