using Microsoft.ML.Causal.Numerics;

namespace Microsoft.ML.Causal.Segmentation.CoarsePersonalization;

/// <summary>Starting levels for a Lloyd restart (see <see cref="LloydSeeding"/>).</summary>
internal static class ProfitSeeding
{
    public static void Seed(ProfitMatrix profits, LloydSeeding seeding, int sampleSize, CausalRandom random, Span<int> levels)
    {
        var m = profits.LevelCount;
        var k = levels.Length;
        var used = new bool[m];
        if (seeding == LloydSeeding.Uniform)
        {
            for (var a = 0; a < k; a++)
                levels[a] = DrawUnused(random, used);
            return;
        }
        var n = profits.RowCount;
        var sample = Math.Min(sampleSize, n);
        var rows = new int[sample];
        for (var s = 0; s < sample; s++)
            rows[s] = sample == n ? s : random.NextInt(n);
        var best = new double[sample];
        var star = new int[sample];
        var current = new double[sample];
        for (var s = 0; s < sample; s++)
        {
            var row = profits.Row(rows[s]);
            star[s] = System.Numerics.Tensors.TensorPrimitives.IndexOfMax(row);
            best[s] = row[star[s]];
            current[s] = double.NegativeInfinity;
        }
        for (var a = 0; a < k; a++)
        {
            int level;
            if (a == 0)
                level = star[random.NextInt(sample)];
            else
            {
                var total = 0.0;
                for (var s = 0; s < sample; s++)
                    total += best[s] - current[s];
                if (!(total > 0))
                    level = DrawUnused(random, used);
                else
                {
                    var u = random.NextDouble() * total;
                    var pick = -1;
                    for (var s = 0; s < sample; s++)
                    {
                        var regret = best[s] - current[s];
                        if (regret <= 0)
                            continue;
                        pick = s;
                        u -= regret;
                        if (u < 0)
                            break;
                    }
                    level = star[pick];
                }
            }
            used[level] = true;
            levels[a] = level;
            for (var s = 0; s < sample; s++)
                current[s] = Math.Max(current[s], profits[rows[s], level]);
        }
    }

    private static int DrawUnused(CausalRandom random, bool[] used)
    {
        var free = 0;
        foreach (var u in used)
            free += u ? 0 : 1;
        var pick = random.NextInt(free);
        for (var j = 0; j < used.Length; j++)
        {
            if (used[j])
                continue;
            if (pick-- == 0)
            {
                used[j] = true;
                return j;
            }
        }
        throw new InvalidOperationException("ProfitSeeding: no unused level is left to draw.");
    }
}
