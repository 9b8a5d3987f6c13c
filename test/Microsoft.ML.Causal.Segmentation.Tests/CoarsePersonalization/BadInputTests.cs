using Microsoft.ML.Causal.Segmentation.CoarsePersonalization;

namespace Microsoft.ML.Causal.Segmentation.Tests.CoarsePersonalization;

public class BadInputTests
{
    private static ProfitMatrix Small() => new(new double[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 1, 2, 3 }, 4, 3);

    [Fact]
    public void NaNOrInfiniteProfitNamesRowAndLevel()
    {
        var values = new double[12];
        values[2 * 3 + 1] = double.NaN;
        var error = Assert.Throws<ArgumentException>(() => new ProfitMatrix(values, 4, 3, ["0", "10", "20"]));
        Assert.Contains("row 2, level 10", error.Message);
        values[2 * 3 + 1] = double.PositiveInfinity;
        Assert.Contains("finite", Assert.Throws<ArgumentException>(() => new ProfitMatrix(values, 4, 3)).Message);
        Assert.Contains("need 12 values", Assert.Throws<ArgumentException>(() => new ProfitMatrix(new double[11], 4, 3)).Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(4)]
    public void KOutsideOneToMIsRejectedByEverySolver(int k)
    {
        var p = Small();
        foreach (var solve in new Action[]
        {
            () => new LloydSolver().Solve(p, k), () => BruteForceSolver.Solve(p, k), () => SingleCrossingSolver.Solve(p, k),
            () => CoarseBaselines.ResponseKMeans(p, k), () => CoarseBaselines.PrespecifiedGrid(p, k, [0, 2]),
        })
            Assert.Contains("K", Assert.ThrowsAny<ArgumentException>(solve).Message);
    }

    [Fact]
    public void InfeasibleOrMalformedSharesAreNamed()
    {
        var p = Small();
        Assert.Contains("maximum shares of the offered levels add up to 0.5 < 1",
            Assert.Throws<ArgumentException>(() => CapacitatedAssignment.Solve(p, [0, 1], maximumShares: [0.25, 0.25])).Message);
        Assert.Contains("minimum shares of the offered levels add up to 1.5 > 1",
            Assert.Throws<ArgumentException>(() => CapacitatedAssignment.Solve(p, [0, 1], minimumShares: [0.75, 0.75])).Message);
        Assert.Contains("exceeds its maximum share", Assert.Throws<ArgumentException>(() => CapacitatedAssignment.Solve(p, [0, 1], [0.5, 0], [0.25, 1])).Message);
        Assert.Contains("[0, 1]", Assert.ThrowsAny<ArgumentException>(() => CapacitatedAssignment.Solve(p, [0, 1], maximumShares: [1.5, 1])).Message);
        Assert.Contains("offered twice", Assert.Throws<ArgumentException>(() => CapacitatedAssignment.Solve(p, [1, 1])).Message);
        Assert.Contains("2 maximum shares for 3 level", Assert.Throws<ArgumentException>(() =>
            new LloydSolver(new LloydOptions { MaximumShares = [1, 1] }).Solve(p, 2)).Message);
        Assert.Contains("add up to", Assert.Throws<ArgumentException>(() =>
            new LloydSolver(new LloydOptions { MaximumShares = [0.2, 0.2, 0.2] }).Solve(p, 2)).Message);
    }

    [Fact]
    public void BadOptionsAreNamed()
    {
        var p = Small();
        Assert.Contains("Restarts", Assert.ThrowsAny<ArgumentException>(() => new LloydSolver(new LloydOptions { Restarts = 0 }).Solve(p, 2)).Message);
        Assert.Contains("MaximumIterations", Assert.ThrowsAny<ArgumentException>(() => new LloydSolver(new LloydOptions { MaximumIterations = 0 }).Solve(p, 2)).Message);
        Assert.Contains("covariate 0 of row 1", Assert.Throws<ArgumentException>(() =>
            CoarseBaselines.CovariateKMeans(p, [0, double.NaN, 1, 2], 1, 2)).Message);
        Assert.Contains("the matrix 3", Assert.Throws<ArgumentException>(() => CoarseEvaluation.Score(new ProfitMatrix(new double[9], 3, 3), CoarseBaselines.BestSingleLevel(p))).Message);
    }
}
