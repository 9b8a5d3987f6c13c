using Microsoft.ML.Causal.Learners.Trees;
using Microsoft.ML.Causal.Numerics;

namespace Microsoft.ML.Causal.Learners.GradientBoosting;

/// <summary>
/// The boosting loop shared by the regression and binary learners: each round computes the loss's gradients
/// and hessians at the current scores, grows a tree on them (on a row subsample when asked), shrinks its leaf
/// values by the learning rate and adds it. Every random draw (validation split, subsamples, feature draws)
/// comes from the seed and the round number, so the model never depends on the thread count.
/// </summary>
internal static class GradientBooster
{
    private const int Block = 4096;

    /// <summary>Boosts on <paramref name="data"/>; early stopping watches <paramref name="validation"/> when given, else a held-out share.</summary>
    public static TreeEnsemble Train(TrainingSet data, GradientBoostingOptions options, BoostingLoss loss, FitContext context, string learner, TrainingSet? validation = null)
    {
        var seed = options.Seed ?? context.Seed;
        var parallel = context.ParallelOptions;
        var binned = data.Features.GetBinned(options.MaxBins);
        var labels = data.Labels.Span.ToArray();
        var n = data.Features.RowCount;

        var all = data.RowIndices();
        if (!IsAscending(all))
            Array.Sort(all);
        var (train, heldOut) = validation is null ? SplitValidation(all, options.ValidationFraction, seed) : (all, []);
        if (train.Length < options.MinRowsInLeaf)
            throw new DataValidationException(learner, data.LabelColumnName, null,
                $"{train.Length} rows are left to grow trees on after holding out the validation share, fewer than MinRowsInLeaf = {options.MinRowsInLeaf}.",
                "Pass more rows, lower ValidationFraction or lower MinRowsInLeaf.");

        var bias = loss.InitialScore(labels, data, train);
        var scores = new double[n];
        foreach (var r in all)
            scores[r] = bias;
        var gradients = new double[n];
        var hessians = new double[n];
        var weights = data.Weights.IsEmpty ? null : data.Weights.ToArray();
        var builder = new TreeBuilder(binned, new TreeGrowthOptions
        {
            MaxLeaves = options.NumberOfLeaves,
            MaxDepth = options.MaxDepth,
            MinRowsInLeaf = options.MinRowsInLeaf,
            MinHessianInLeaf = options.MinHessianInLeaf,
            L2 = options.L2Regularization,
            MinSplitGain = options.MinSplitGain,
            FeatureFractionPerNode = options.FeatureFractionPerNode,
        }, parallel);

        var validationRows = validation?.RowIndices() ?? [];
        var validationLabels = validation?.Labels.ToArray() ?? [];
        var validationScores = new double[validation?.Features.RowCount ?? 0];
        foreach (var r in validationRows)
            validationScores[r] = bias;
        var unitHessians = loss == BoostingLoss.Squared && weights is null; // every hessian is exactly 1
        var trees = new List<RegressionTree>(options.NumberOfTrees);
        var inBag = new bool[n];
        int[]? everyRow = null; // the buffer the builder reorders when every training row is grown on, refilled each round
        var bestLoss = double.PositiveInfinity;
        var bestRound = -1;
        for (var round = 0; round < options.NumberOfTrees; round++)
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            var random = new CausalRandom(CausalContext.DeriveSeed(seed, round));
            Parallel.For(0, (train.Length + Block - 1) / Block, parallel, block =>
            {
                var begin = block * Block;
                Span<double> buffer = stackalloc double[Block];
                loss.Derivatives(train.AsSpan(begin, Math.Min(Block, train.Length - begin)), labels, scores, weights, gradients, hessians, buffer);
            });
            var bag = options.RowSubsampleFraction >= 1 ? Refill(ref everyRow, train) : Subsample(train, options.RowSubsampleFraction, random);
            var mask = FeatureMask(binned.FeatureCount, options.FeatureFractionPerTree, random);
            var (tree, begins, ends) = builder.Grow(bag, gradients, hessians, mask, random, unitHessians);
            tree = Shrink(tree, options.LearningRate);
            trees.Add(tree);

            // Update the scores: rows grown on by their leaf ranges, every other row by walking the tree.
            var sampled = bag.Length < train.Length; // else every training row is in a leaf's range
            if (sampled)
                Array.Clear(inBag);
            for (var k = 0; k < begins.Length; k++)
            {
                var value = tree.LeafValues[k];
                for (var i = begins[k]; i < ends[k]; i++)
                {
                    scores[bag[i]] += value;
                    if (sampled)
                        inBag[bag[i]] = true;
                }
            }
            if (sampled)
                ForRows(train, parallel, r => { if (!inBag[r]) scores[r] += tree.LeafValues[tree.LeafOfBinned(binned, r)]; });
            ForRows(heldOut, parallel, r => scores[r] += tree.LeafValues[tree.LeafOfBinned(binned, r)]);
            if (validation is not null)
                ForRows(validationRows, parallel, r => validationScores[r] += tree.Predict(validation.Features.Row(r)));

            context.Progress?.Report(new LearnerProgress(learner, round + 1, options.NumberOfTrees, $"tree {round + 1} of {options.NumberOfTrees}"));
            if (options.EarlyStoppingRounds > 0)
            {
                var validationLoss = 0.0;
                if (validation is null)
                {
                    foreach (var r in heldOut)
                        validationLoss += (weights is null ? 1 : weights[r]) * loss.Loss(labels[r], scores[r]);
                }
                else
                {
                    foreach (var r in validationRows)
                        validationLoss += validation.WeightOf(r) * loss.Loss(validationLabels[r], validationScores[r]);
                }
                if (validationLoss < bestLoss)
                {
                    bestLoss = validationLoss;
                    bestRound = round;
                }
                else if (round - bestRound >= options.EarlyStoppingRounds && round + 1 >= KeptTrees(options, bestRound))
                {
                    break;
                }
            }
        }
        if (options.EarlyStoppingRounds > 0)
        {
            var kept = Math.Min(trees.Count, KeptTrees(options, bestRound));
            trees.RemoveRange(kept, trees.Count - kept);
        }
        return new TreeEnsemble(data.Features.ColumnCount, bias, trees);
    }

    /// <summary>The trees early stopping keeps when the best validation loss was at <paramref name="bestRound"/>.</summary>
    private static int KeptTrees(GradientBoostingOptions options, int bestRound) => (int)Math.Ceiling(options.EarlyStoppingTreeFactor * (bestRound + 1));

    private static (int[] Train, int[] Validation) SplitValidation(int[] rows, double fraction, int seed)
    {
        if (fraction <= 0 || rows.Length == 0)
            return (rows, []);
        // The first share of a seeded shuffle is held out; both parts keep the ascending order of the rows.
        var shuffled = rows.ToArray();
        new CausalRandom(CausalContext.DeriveSeed(seed, -1)).Shuffle(shuffled.AsSpan());
        var held = (int)Math.Round(fraction * rows.Length);
        var heldCopies = new int[rows[^1] + 1]; // a count, not a flag: rows may repeat
        foreach (var r in shuffled.AsSpan(0, held))
            heldCopies[r]++;
        var validation = new int[held];
        var train = new int[rows.Length - held];
        int v = 0, t = 0;
        foreach (var r in rows)
        {
            if (heldCopies[r] > 0)
            {
                heldCopies[r]--;
                validation[v++] = r;
            }
            else
                train[t++] = r;
        }
        return (train, validation);
    }

    private static bool IsAscending(int[] rows)
    {
        for (var i = 1; i < rows.Length; i++)
        {
            if (rows[i] < rows[i - 1])
                return false;
        }
        return true;
    }

    /// <summary>The training rows in order, copied into <paramref name="buffer"/> (allocated once): the builder reorders what it gets.</summary>
    private static int[] Refill(ref int[]? buffer, int[] rows)
    {
        buffer ??= new int[rows.Length];
        rows.CopyTo(buffer, 0);
        return buffer;
    }

    /// <summary>A sorted sample without replacement of a <paramref name="fraction"/> (&lt; 1) of the rows.</summary>
    private static int[] Subsample(int[] rows, double fraction, CausalRandom random)
    {
        var take = Math.Max(1, (int)Math.Round(fraction * rows.Length));
        var copy = rows.ToArray();
        for (var i = 0; i < take; i++)
        {
            var j = i + random.NextInt(copy.Length - i);
            (copy[i], copy[j]) = (copy[j], copy[i]);
        }
        var sample = copy[..take];
        Array.Sort(sample);
        return sample;
    }

    private static bool[] FeatureMask(int features, double fraction, CausalRandom random)
    {
        var mask = new bool[features];
        if (fraction >= 1)
        {
            Array.Fill(mask, true);
            return mask;
        }
        var order = Enumerable.Range(0, features).ToArray();
        random.Shuffle(order.AsSpan());
        foreach (var j in order.AsSpan(0, Math.Max(1, (int)Math.Round(fraction * features))))
            mask[j] = true;
        return mask;
    }

    private static RegressionTree Shrink(RegressionTree tree, double rate) => new(tree.Feature, tree.Threshold, tree.ThresholdBin, tree.MissingLeft,
        tree.Left, tree.Right, tree.Gain, tree.LeafValues.Select(v => v * rate).ToArray());

    private static void ForRows(int[] rows, ParallelOptions parallel, Action<int> body) =>
        Parallel.For(0, (rows.Length + Block - 1) / Block, parallel, block =>
        {
            var end = Math.Min(rows.Length, (block + 1) * Block);
            for (var i = block * Block; i < end; i++)
                body(rows[i]);
        });
}
