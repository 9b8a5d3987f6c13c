using Microsoft.ML.Causal.Segmentation.CoarsePersonalization;

namespace Microsoft.ML.Causal.Segmentation.Tests.CoarsePersonalization;

public class SingleCrossingSolverTests
{
    [Fact]
    public void TheDynamicProgramEqualsBruteForceUnderSingleCrossing()
    {
        var random = new Random(21);
        for (var s = 0; s < 80; s++)
        {
            var (profits, types) = ProfitInstances.SingleCrossing(random);
            var k = random.Next(1, Math.Min(6, profits.LevelCount) + 1);
            var exact = BruteForceSolver.Solve(profits, k).Profit;
            var tolerance = 1e-9 * Math.Max(1, Math.Abs(exact));
            Assert.Equal(exact, SingleCrossingSolver.Solve(profits, k, types).Profit, tolerance);
            Assert.Equal(exact, SingleCrossingSolver.Solve(profits, k).Profit, tolerance);
            Assert.True(SingleCrossingSolver.Solve(profits, k).Levels.Count <= k);
        }
    }

    [Fact]
    public void WithoutSingleCrossingItIsAFeasibleLowerBound()
    {
        var random = new Random(4);
        for (var s = 0; s < 20; s++)
        {
            var profits = ProfitInstances.Gaussian(random);
            var dp = SingleCrossingSolver.Solve(profits, 3);
            Assert.True(dp.Levels.Count <= 3);
            Assert.True(dp.Profit <= BruteForceSolver.Solve(profits, 3).Profit + 1e-9);
        }
    }
}
