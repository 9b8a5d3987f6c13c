using System.Buffers;
using Microsoft.ML.Causal.Learners;
using Microsoft.ML.Causal.Learners.Trees;

namespace Microsoft.ML.Causal.Forests;

/// <summary>Receives a training row and each tree's leaf for it (−1 where the tree is not used).</summary>
internal delegate void LeavesAction(int row, ReadOnlySpan<int> leaves);

/// <summary>
/// Out-of-bag collection: for each training row, the leaves of the trees whose drawn sample excludes it (grf's
/// rule). The drawn samples exist only during the fit, as one bitset per tree (shared by the trees of a group
/// that all draw the group's half); the model does not keep them. A row that every tree drew gets every tree.
/// Rows run in parallel blocks, and each writes only its own results, so nothing depends on the thread count.
/// </summary>
internal static class OutOfBag
{
    public static void ForEachRow(HonestForest forest, BinnedMatrix binned, int[] rows, ulong[][] drawn, FitContext context, LeavesAction action)
    {
        const int block = 256;
        Parallel.For(0, (rows.Length + block - 1) / block, context.ParallelOptions, k =>
        {
            var leaves = ArrayPool<int>.Shared.Rent(forest.TreeCount);
            try
            {
                var span = leaves.AsSpan(0, forest.TreeCount);
                var end = Math.Min(rows.Length, (k + 1) * block);
                for (var i = k * block; i < end; i++)
                {
                    var r = rows[i];
                    forest.CollectLeavesOutOfBag(binned, r, drawn, span);
                    if (span.IndexOfAnyExcept(-1) < 0)
                    {
                        for (var b = 0; b < span.Length; b++)
                            span[b] = forest.Trees[b].LeafOfBinned(binned, r);
                    }
                    action(r, span);
                }
            }
            finally
            {
                ArrayPool<int>.Shared.Return(leaves);
            }
        });
    }
}
