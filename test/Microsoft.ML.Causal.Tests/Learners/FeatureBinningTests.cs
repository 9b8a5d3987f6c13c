using Microsoft.ML.Causal.Learners.Trees;
using Microsoft.ML.Causal.Numerics;
using Xunit;

namespace Microsoft.ML.Causal.Tests.Learners;

public class FeatureBinningTests
{
    [Fact]
    public void BinOfIsTheFirstBinWhoseUpperBoundIsAtLeastTheValue()
    {
        var random = new CausalRandom(3);
        foreach (var count in new[] { 1, 2, 3, 7, 8, 9, 100, 254, 255 })
        {
            var bounds = Enumerable.Range(0, count - 1).Select(i => (double)i).Append(double.PositiveInfinity).ToArray();
            var binning = new FeatureBinning(bounds);
            var values = Enumerable.Range(0, 500).Select(_ => random.NextDouble() * (count + 1) - 1)
                .Concat(bounds).Concat([double.NegativeInfinity, -0.0, 0.5, count - 2.0]);
            foreach (var v in values)
            {
                var expected = 1 + Array.FindIndex(bounds, b => v <= b);
                Assert.Equal(expected, binning.BinOf(v));
            }
            Assert.Equal(0, binning.BinOf(double.NaN));
        }
    }
}
