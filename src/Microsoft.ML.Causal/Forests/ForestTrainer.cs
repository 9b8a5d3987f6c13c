using Microsoft.ML.Causal.Forests.Prediction;
using Microsoft.ML.Causal.Forests.Relabeling;
using Microsoft.ML.Causal.Forests.Sampling;
using Microsoft.ML.Causal.Forests.Splitting;
using Microsoft.ML.Causal.Learners;
using Microsoft.ML.Causal.Numerics;

namespace Microsoft.ML.Causal.Forests;

/// <summary>
/// Grows a forest = relabeling strategy × splitting rule × prediction strategy (grf's forest trainer). Trees
/// grow in groups of ci.group.size, in parallel over groups; group g draws everything (its half-sample, its
/// trees' subsamples, honesty cuts and feature draws) from <c>CausalContext.DeriveSeed(seed, g)</c>, and each
/// tree lands at its fixed index, so the forest does not depend on the thread count.
/// </summary>
internal static class ForestTrainer
{
    /// <summary>The trees and, when <paramref name="keepDrawn"/>, each tree's drawn-row bitset (for out-of-bag predictions; trees of a group drawing its whole half share one).</summary>
    public static (HonestForest Forest, ulong[][]? Drawn) Train(ForestData data, TreeSampler sampler, ForestOptions options,
        Func<(IRelabelingStrategy Relabeling, ISplittingRule Rule)> components, IPredictionStrategy prediction, int seed,
        FitContext context, string component, bool keepDrawn)
    {
        var groups = options.GroupCount;
        var size = options.CiGroupSize;
        var trees = new ForestTree[groups * size];
        var drawn = keepDrawn ? new ulong[trees.Length][] : null;
        var done = 0;
        Parallel.For(0, groups, context.ParallelOptions,
            () =>
            {
                var (relabeling, rule) = components();
                return new TreeTrainer(data, options, relabeling, rule, prediction);
            },
            (g, _, trainer) =>
            {
                var random = new CausalRandom(CausalContext.DeriveSeed(seed, g));
                var units = sampler.DrawGroup(random);
                var groupBits = keepDrawn && size >= 2 ? sampler.Bits(units) : null;
                for (var b = 0; b < size; b++)
                {
                    var (split, estimation, bits) = sampler.DrawTree(units, random, groupBits);
                    trees[g * size + b] = trainer.Grow(split, estimation, random);
                    if (drawn is not null)
                        drawn[g * size + b] = bits;
                }
                var count = Interlocked.Add(ref done, size);
                context.Progress?.Report(new LearnerProgress(component, count, trees.Length, $"tree {count} of {trees.Length}"));
                return trainer;
            },
            _ => { });
        return (new HonestForest(data.FeatureCount, prediction.StatCount, size, trees), drawn);
    }

    /// <summary>Whether bitset <paramref name="bits"/> holds <paramref name="row"/>.</summary>
    public static bool Holds(ulong[] bits, int row) => (bits[row >> 6] & (1UL << (row & 63))) != 0;
}
