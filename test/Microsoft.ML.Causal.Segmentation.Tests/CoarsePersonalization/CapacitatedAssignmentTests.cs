using Microsoft.ML.Causal.Segmentation.CoarsePersonalization;
using Microsoft.ML.Causal.Simulation;

namespace Microsoft.ML.Causal.Segmentation.Tests.CoarsePersonalization;

public class CapacitatedAssignmentTests
{
    /// <summary>Independent check: enumerate all K^N assignments of a tiny instance and keep the best one within the count bounds.</summary>
    private static double Enumerate(ProfitMatrix profits, int[] levels, int[] lower, int[] upper)
    {
        var n = profits.RowCount;
        var k = levels.Length;
        var best = double.NegativeInfinity;
        var choice = new int[n];
        var counts = new int[k];
        var total = (int)Math.Pow(k, n);
        for (var code = 0; code < total; code++)
        {
            var c = code;
            Array.Clear(counts);
            var profit = 0.0;
            for (var i = 0; i < n; i++)
            {
                choice[i] = c % k;
                c /= k;
                counts[choice[i]]++;
                profit += profits[i, levels[choice[i]]];
            }
            var ok = true;
            for (var a = 0; a < k; a++)
                ok &= counts[a] >= lower[a] && counts[a] <= upper[a];
            if (ok)
                best = Math.Max(best, profit);
        }
        return best;
    }

    [Fact]
    public void TheObjectiveEqualsExhaustiveEnumerationOnTinyInstances()
    {
        var random = new Random(13);
        var solved = 0;
        for (var s = 0; s < 300; s++)
        {
            var n = random.Next(2, 9);
            var m = random.Next(2, 6);
            var k = random.Next(1, Math.Min(4, m) + 1);
            var values = new double[n * m];
            for (var v = 0; v < values.Length; v++)
                values[v] = random.Next(3) == 0 ? Math.Round(ProfitInstances.Normal(random)) : ProfitInstances.Normal(random); // ties too
            var profits = new ProfitMatrix(values, n, m);
            var levels = Enumerable.Range(0, m).OrderBy(_ => random.Next()).Take(k).ToArray();
            var minimum = new double[k];
            var maximum = new double[k];
            for (var a = 0; a < k; a++)
            {
                minimum[a] = random.Next(3) == 0 ? random.Next(n / k + 1) / (double)n : 0;
                maximum[a] = random.Next(2) == 0 ? 1 : Math.Max(minimum[a], random.Next(n + 1) / (double)n);
            }
            if (minimum.Sum() > 1 + 1e-12 || maximum.Sum() < 1 - 1e-12)
                continue;
            var lower = minimum.Select(x => (int)Math.Floor(x * n + 1e-9)).ToArray();
            var upper = maximum.Select(x => (int)Math.Ceiling(x * n - 1e-9)).ToArray();
            var policy = CapacitatedAssignment.Solve(profits, levels, minimum, maximum);
            var exact = Enumerate(profits, levels, lower, upper);
            Assert.Equal(exact, policy.Profit, 1e-9);
            Assert.Equal(exact, policy.DualObjective!.Value, 1e-9);
            solved++;
        }
        Assert.True(solved > 150);
    }

    [Fact]
    public void SharesAreMetUpToOnePersonAndEveryPersonIsInABestCellAtThePrices()
    {
        var e = PromotionSimulation.Generate(5_003, seed: 8);
        var profits = new ProfitMatrix(e.TrueIncrementalProfit, e.RowCount, e.LevelCount);
        int[] levels = [0, 2, 4, 6, 10];
        double[] fixedShares = [0.3, 0.25, 0.2, 0.15, 0.1];
        var policy = CapacitatedAssignment.Solve(profits, levels, fixedShares, fixedShares);
        for (var a = 0; a < levels.Length; a++)
            Assert.InRange(policy.Counts[a], Math.Floor(fixedShares[a] * e.RowCount), Math.Ceiling(fixedShares[a] * e.RowCount));
        AssertComplementarySlackness(profits, policy);
        Assert.Equal(policy.Profit, policy.DualObjective!.Value, 1e-7 * Math.Abs(policy.Profit));

        var free = CapacitatedAssignment.Solve(profits, levels);
        var deep = Enumerable.Range(1, 4).MaxBy(a => free.Counts[a]);
        double[] caps = [1, 1, 1, 1, 1];
        caps[deep] = 0.5 * free.Shares[deep]; // binding: half of what the unconstrained assignment gives that level
        var capped = CapacitatedAssignment.Solve(profits, levels, maximumShares: caps);
        Assert.Equal((int)Math.Ceiling(caps[deep] * e.RowCount - 1e-9), capped.Counts[deep]);
        Assert.True(capped.Profit < free.Profit);
        Assert.Equal(capped.Profit, capped.DualObjective!.Value, 1e-7 * Math.Abs(capped.Profit));
        AssertComplementarySlackness(profits, capped);
        var unconstrained = 0.0;
        for (var i = 0; i < e.RowCount; i++)
            unconstrained += levels.Max(l => profits[i, l]);
        Assert.Equal(unconstrained, free.Profit, 1e-7 * unconstrained);
    }

    private static void AssertComplementarySlackness(ProfitMatrix profits, CoarsePolicy policy)
    {
        for (var i = 0; i < profits.RowCount; i++)
        {
            var own = profits[i, policy.LevelOf(i)] - policy.Prices[policy.Segments[i]];
            for (var a = 0; a < policy.Levels.Count; a++)
                Assert.True(own >= profits[i, policy.Levels[a]] - policy.Prices[a] - 1e-9, $"row {i} prefers segment {a} at the prices");
        }
    }
}
