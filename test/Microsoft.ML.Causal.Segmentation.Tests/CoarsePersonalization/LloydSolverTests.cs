using System.Globalization;
using Microsoft.ML.Causal.Segmentation.CoarsePersonalization;
using Xunit.Abstractions;

namespace Microsoft.ML.Causal.Segmentation.Tests.CoarsePersonalization;

public class LloydSolverTests(ITestOutputHelper output)
{
    public static TheoryData<string> Families => ["simulated", "gaussian", "clustered"];

    [Theory]
    [MemberData(nameof(Families))]
    public void LloydFindsTheBruteForceOptimumOn95PercentOfSmallInstancesAndIsNeverBelow99Percent(string family)
    {
        var random = new Random(family.Length * 1000 + 7);
        const int instances = 150;
        var equal = 0;
        var plainEqual = 0;
        var worst = 1.0;
        var worstPlain = 1.0;
        for (var s = 0; s < instances; s++)
        {
            var profits = family switch
            {
                "simulated" => ProfitInstances.Simulated(random),
                "gaussian" => ProfitInstances.Gaussian(random),
                _ => ProfitInstances.Clustered(random),
            };
            var k = random.Next(2, Math.Min(6, profits.LevelCount));
            var exact = BruteForceSolver.Solve(profits, k);
            var lloyd = new LloydSolver(new LloydOptions { Seed = s }).Solve(profits, k);
            Assert.Equal(k, lloyd.Levels.Count);
            Assert.True(lloyd.Profit <= exact.Profit + 1e-9 * Math.Abs(exact.Profit) + 1e-12);
            var gap = exact.Profit - lloyd.Profit;
            if (gap <= 1e-9 * Math.Max(1, Math.Abs(exact.Profit)))
                equal++;
            if (exact.Profit > 0)
                worstPlain = Math.Min(worstPlain, lloyd.Profit / exact.Profit);
            var plain = new LloydSolver(new LloydOptions { Seed = s, SwapRefinement = false }).Solve(profits, k);
            if (exact.Profit - plain.Profit <= 1e-9 * Math.Max(1, Math.Abs(exact.Profit)))
                plainEqual++;
            // Relative to the brute force's gain over offering the worst single level, so shifting rows cannot flatter the ratio.
            var floor = profits.LevelTotals().Min();
            worst = Math.Min(worst, (lloyd.Profit - floor) / (exact.Profit - floor));
        }
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{family}: optimum on {equal}/{instances} (without the swap step {plainEqual}/{instances}), worst {worst:P3} of the optimum over the worst single level, worst plain ratio {worstPlain:P3}"));
        Assert.True(equal >= 0.95 * instances, $"{family}: Lloyd reached the optimum on only {equal} of {instances} instances.");
        Assert.True(worst >= 0.99, $"{family}: worst instance {worst:P3} of the optimum.");
        Assert.True(worstPlain >= 0.99, $"{family}: worst instance {worstPlain:P3} of the optimum.");
    }

    [Fact]
    public void TheResultDoesNotDependOnTheThreadCountAndObjectiveIsRestartMaximum()
    {
        var random = new Random(5);
        const int n = 3 * LloydSweep.BlockRows + 17, m = 20;
        var values = new double[n * m];
        for (var v = 0; v < values.Length; v++)
            values[v] = ProfitInstances.Normal(random);
        var profits = new ProfitMatrix(values, n, m);
        var one = new LloydSolver(new LloydOptions { Restarts = 6, MaxDegreeOfParallelism = 1, Seed = 3 }).Solve(profits, 4);
        var two = new LloydSolver(new LloydOptions { Restarts = 6, MaxDegreeOfParallelism = 2, Seed = 3 }).Solve(profits, 4);
        Assert.Equal(one.Levels, two.Levels);
        Assert.Equal(one.Segments, two.Segments);
        Assert.Equal(one.RestartProfits, two.RestartProfits);
        Assert.Equal(one.RestartProfits.Max(), one.Profit, 1e-6);
        for (var i = 0; i < n; i++)
            Assert.Equal(one.Levels.Max(l => profits[i, l]), profits[i, one.LevelOf(i)]);
    }

    [Fact]
    public void OneLevelIsTheBestSingleLevelAndMLevelsIsFullPersonalization()
    {
        var profits = ProfitInstances.Clustered(new Random(11));
        Assert.Equal(CoarseBaselines.BestSingleLevel(profits).Levels, new LloydSolver().Solve(profits, 1).Levels);
        Assert.Equal(profits.FullPersonalizationProfit(), new LloydSolver().Solve(profits, profits.LevelCount).Profit, 1e-9);
    }

    [Fact]
    public void UniformSeedingAlsoConverges()
    {
        var profits = ProfitInstances.Simulated(new Random(2));
        var policy = new LloydSolver(new LloydOptions { Seeding = LloydSeeding.Uniform, Restarts = 5 }).Solve(profits, 3);
        Assert.InRange(policy.Iterations, 1, 100);
        Assert.Equal(3, policy.Levels.Count);
    }

    [Fact]
    public void WithAMaximumShareTheDeepLevelIsCappedAndTheSolutionIsCloseToTheBestCappedSubset()
    {
        var random = new Random(9);
        for (var s = 0; s < 10; s++)
        {
            var profits = ProfitInstances.Simulated(random);
            var m = profits.LevelCount;
            var caps = Enumerable.Repeat(1.0, m).ToArray();
            for (var j = m / 2; j < m; j++)
                caps[j] = 0.1;
            var lloyd = new LloydSolver(new LloydOptions { MaximumShares = caps, Restarts = 5, Seed = s }).Solve(profits, 3);
            for (var a = 0; a < lloyd.Levels.Count; a++)
                Assert.True(lloyd.Counts[a] <= Math.Ceiling(caps[lloyd.Levels[a]] * profits.RowCount));
            var best = double.NegativeInfinity;
            foreach (var subset in Subsets(m, 3))
            {
                var shares = subset.Select(j => caps[j]).ToArray();
                if (shares.Sum() >= 1)
                    best = Math.Max(best, CapacitatedAssignment.Solve(profits, subset, maximumShares: shares).Profit);
            }
            Assert.True(lloyd.Profit <= best + 1e-9 * Math.Abs(best));
            var floor = profits.LevelTotals().Min();
            Assert.True((lloyd.Profit - floor) / (best - floor) >= 0.99, $"instance {s}: {lloyd.Profit} vs best capped subset {best}");
            Assert.Equal(lloyd.Profit, lloyd.DualObjective!.Value, 1e-6 * Math.Max(1, Math.Abs(lloyd.Profit)));
        }
    }

    private static IEnumerable<int[]> Subsets(int m, int k)
    {
        for (var a = 0; a < m; a++)
            for (var b = a + 1; b < m; b++)
                for (var c = b + 1; c < m; c++)
                    yield return [a, b, c];
    }
}
