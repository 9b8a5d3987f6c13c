using Microsoft.ML.Causal.Forests;
using Microsoft.ML.Causal.Forests.Sampling;
using Microsoft.ML.Causal.Numerics;

namespace Microsoft.ML.Causal.Tests.Forests;

/// <summary>grf's sampling scheme: half-samples per group, subsamples per tree, honesty cuts at cluster level, equalized clusters.</summary>
public class TreeSamplerTests
{
    [Fact]
    public void GroupsDrawHalfTheClustersAndHonestyNeverSplitsACluster()
    {
        // 30 clusters of sizes 2, 3, 4 (in turn) over 90 rows.
        var clusters = new int[90];
        var row = 0;
        for (var c = 0; c < 30; c++)
        {
            for (var k = 0; k < 2 + c % 3; k++)
                clusters[row++] = c;
        }
        foreach (var equalize in new[] { false, true })
        {
            var options = new ForestOptions { EqualizeClusterWeights = equalize };
            var sampler = TreeSampler.Create(Enumerable.Range(0, 90).ToArray(), clusters, options, 90);
            Assert.Equal(30, sampler.UnitCount);
            var random = new CausalRandom(3);
            var units = sampler.DrawGroup(random);
            Assert.Equal(15, units.Distinct().Count());
            var (split, estimation, drawn) = sampler.DrawTree(units, random, sampler.Bits(units));
            var splitClusters = split.Select(r => clusters[r]).ToHashSet();
            var estimationClusters = estimation.Select(r => clusters[r]).ToHashSet();
            Assert.Empty(splitClusters.Intersect(estimationClusters));
            Assert.Equal(8, splitClusters.Count); // ⌈15 · 0.5⌉
            Assert.Equal(7, estimationClusters.Count);
            Assert.True(splitClusters.Union(estimationClusters).ToHashSet().SetEquals(units));
            foreach (var group in split.Concat(estimation).GroupBy(r => clusters[r]))
                Assert.Equal(equalize ? 2 : 2 + group.Key % 3, group.Count());
            // The drawn bitset holds every row of every drawn cluster.
            for (var r = 0; r < 90; r++)
                Assert.Equal(units.Contains(clusters[r]), ForestTrainer.Holds(drawn, r));
        }
    }

    [Fact]
    public void WithGroupsOfOneEachTreeDrawsTheSampleFractionOfAllUnits()
    {
        var options = new ForestOptions { CiGroupSize = 1, SampleFraction = 0.3 };
        var sampler = TreeSampler.Create(Enumerable.Range(0, 101).ToArray(), default, options, 101);
        var random = new CausalRandom(1);
        var (split, estimation, _) = sampler.DrawTree(sampler.DrawGroup(random), random, null);
        Assert.Equal(30, split.Length + estimation.Length); // ⌊101 · 0.3⌋
        Assert.Equal(15, split.Length);
        Assert.Empty(split.Intersect(estimation));
        Assert.Equal(4, TreeSampler.MinimumUnits(new ForestOptions()));
    }
}
