using Microsoft.ML.Causal.Segmentation.GroupLasso;
using Microsoft.ML.Causal.Simulation;
using Xunit.Abstractions;

namespace Microsoft.ML.Causal.Segmentation.Tests.GroupLasso;

/// <summary>Predicted responses per (segment, creative) from the refit on the selected support: values, coverage, bad input.</summary>
public class GroupLassoResponsesTests(ITestOutputHelper output)
{
    private const double Alpha = 0.25;

    /// <summary>The true mean response of creative c over the people <paramref name="members"/> of the experiment.</summary>
    private static double TrueMean(CreativeExperiment e, int c, int[] members) =>
        members.Average(i => e.TrueResponseProbability(e.Features.Span.Slice(i * e.FeatureCount, e.FeatureCount), c));

    [Fact]
    public void TheIntervalsCoverTheTrueMeanResponsesAtTheirLevel()
    {
        // 40 experiments (seeds 100 … 139) of 4,000 people, 2 segments × 3 creatives, one deviating creative per
        // segment (‖δ‖ = 1.5), fitted at λ = 0.1·λ_max; 95 % intervals for each (assigned segment, creative).
        int covered = 0, total = 0, rightSupport = 0;
        var widths = new List<double>();
        for (var seed = 100; seed < 140; seed++)
        {
            var e = CreativeExperimentSimulation.Generate(4000, segments: 2, creativesPerSegment: 3, features: 3, deviatingPerSegment: 1, deviation: 1.5, seed: seed);
            var data = GroupLassoSolverTests.ToData(e);
            var model = GroupLassoSegmenter.Fit(data, 0.1 * GroupLassoSegmenter.LambdaMax(data, Alpha), Alpha);
            rightSupport += model.Creatives.All(c => c.Fused != e.Deviates[c.Index]) ? 1 : 0;
            var p = e.FeatureCount;
            var groups = Enumerable.Range(0, e.RowCount).Select(i => model.AssignSegment(e.Features.Span.Slice(i * p, p))).ToArray();
            foreach (var r in GroupLassoResponses.Estimate(data, model))
            {
                var members = Enumerable.Range(0, e.RowCount).Where(i => groups[i] == r.Segment).ToArray();
                Assert.Equal(members.Length, r.People);
                var truth = TrueMean(e, r.Creative, members);
                Assert.True(r.Lower < r.Response && r.Response < r.Upper && r.Lower > 0 && r.Upper < 1, $"{r}");
                Assert.True(double.IsFinite(r.StandardError) && r.StandardError > 0);
                covered += r.Lower <= truth && truth <= r.Upper ? 1 : 0;
                total++;
                widths.Add(r.Upper - r.Lower);
            }
        }
        var coverage = (double)covered / total;
        output.WriteLine($"coverage {coverage:P1} of {total} intervals; support right in {rightSupport} of 40 fits; median width {widths.Order().ElementAt(widths.Count / 2):F3}");
        Assert.Equal(40 * 2 * 6, total);
        // The binomial SE of the coverage of 480 intervals at 95 % is 1.0 point; the intervals of one experiment share
        // its data, so the band allows 4 SE below and requires the intervals not to be wide enough to cover always.
        Assert.InRange(coverage, 0.91, 0.99);
    }

    [Fact]
    public void TheRefitRemovesTheShrinkageOfADeviatingCreativeAndFusedCreativesShareTheCentre()
    {
        var e = CreativeExperimentSimulation.Generate(8000, segments: 2, creativesPerSegment: 3, features: 3, deviatingPerSegment: 1, deviation: 1.5, seed: 7);
        var data = GroupLassoSolverTests.ToData(e);
        var model = GroupLassoSegmenter.Fit(data, 0.1 * GroupLassoSegmenter.LambdaMax(data, Alpha), Alpha);
        Assert.All(model.Creatives, c => Assert.Equal(e.Deviates[c.Index], !c.Fused));
        var estimates = GroupLassoResponses.Estimate(data, model);
        var p = e.FeatureCount;
        foreach (var r in estimates)
        {
            // Fused creatives of one segment have the same refit model, hence the same mean response.
            var fusedSibling = estimates.FirstOrDefault(o => o.Segment == r.Segment && o.DesignedFor == r.DesignedFor && o.Creative != r.Creative
                && model.Creatives[o.Creative].Fused && model.Creatives[r.Creative].Fused);
            if (fusedSibling is not null)
                Assert.Equal(r.Response, fusedSibling.Response, 12);
        }
        // For a deviating creative the refit mean is nearer the truth than the penalized model's (shrunk toward the centre).
        var groups = Enumerable.Range(0, e.RowCount).Select(i => model.AssignSegment(e.Features.Span.Slice(i * p, p))).ToArray();
        double refitError = 0, penalizedError = 0;
        foreach (var r in estimates.Where(r => e.Deviates[r.Creative]))
        {
            var members = Enumerable.Range(0, e.RowCount).Where(i => groups[i] == r.Segment).ToArray();
            var truth = TrueMean(e, r.Creative, members);
            var penalized = members.Average(i => model.PredictResponse(e.Features.Span.Slice(i * p, p), r.Creative));
            refitError += Math.Abs(r.Response - truth);
            penalizedError += Math.Abs(penalized - truth);
        }
        output.WriteLine($"deviating creatives: mean |error| refit {refitError / 4:F4}, penalized {penalizedError / 4:F4}");
        Assert.True(refitError < penalizedError, $"refit {refitError}, penalized {penalizedError}");
    }

    [Fact]
    public void AtLambdaZeroNothingIsFusedAndTheRefitIsEachCreativesOwnMaximumLikelihoodFit()
    {
        // At λ = 0 the group-lasso model is every creative's own unpenalized logistic fit, and so is the refit.
        var e = CreativeExperimentSimulation.Generate(3000, segments: 2, creativesPerSegment: 3, features: 2, seed: 10);
        var data = GroupLassoSolverTests.ToData(e);
        var model = GroupLassoSegmenter.Fit(data, 0, Alpha, new GroupLassoOptions { Tolerance = 1e-10, MaxIterations = 100_000 });
        Assert.All(model.Creatives, c => Assert.False(c.Fused));
        var p = e.FeatureCount;
        var groups = Enumerable.Range(0, e.RowCount).Select(i => model.AssignSegment(e.Features.Span.Slice(i * p, p))).ToArray();
        foreach (var r in GroupLassoResponses.Estimate(data, model))
        {
            var members = Enumerable.Range(0, e.RowCount).Where(i => groups[i] == r.Segment).ToArray();
            var own = members.Average(i => model.PredictResponse(e.Features.Span.Slice(i * p, p), r.Creative));
            Assert.Equal(own, r.Response, 6);
        }
    }

    [Fact]
    public void WithoutFeaturesTheResponsesAreTheCreativesClickRates()
    {
        // An intercept-only (CTR) experiment: 2 segments × 2 creatives; at λ = 0 nothing is fused and each creative's
        // refit rate is its own click rate, with the binomial standard error √(r(1 − r)/n).
        int[] clicks = [30, 66, 20, 60], shows = [200, 300, 250, 300];
        var creatives = shows.SelectMany((n, c) => Enumerable.Repeat(c, n)).ToArray();
        var responses = new double[creatives.Length];
        var at = 0;
        for (var c = 0; c < 4; c++)
        {
            for (var r = 0; r < shows[c]; r++)
                responses[at++] = r < clicks[c] ? 1 : 0;
        }
        var data = new MultiCreativeData(ReadOnlyMemory<double>.Empty, 0, responses, creatives, [0, 0, 1, 1]);
        var model = GroupLassoSegmenter.Fit(data, 0, Alpha, new GroupLassoOptions { Tolerance = 1e-10, MaxIterations = 100_000 });
        var estimates = GroupLassoResponses.Estimate(data, model);
        Assert.Equal(4, estimates.Count); // everyone is in one segment (the scores are the intercepts only)
        foreach (var r in estimates)
        {
            var rate = (double)clicks[r.Creative] / shows[r.Creative];
            Assert.Equal(rate, r.Response, 6);
            Assert.Equal(Math.Sqrt(rate * (1 - rate) / shows[r.Creative]), r.StandardError, 6);
        }

        // Above λ_max every creative is fused: each one's rate is its segment's pooled rate.
        var fused = GroupLassoSegmenter.Fit(data, 2 * GroupLassoSegmenter.LambdaMax(data, Alpha), Alpha);
        Assert.All(fused.Creatives, c => Assert.True(c.Fused));
        foreach (var r in GroupLassoResponses.Estimate(data, fused))
        {
            var pooled = r.DesignedFor == 0 ? 96.0 / 500 : 80.0 / 550;
            Assert.Equal(pooled, r.Response, 9);
            Assert.Equal(Math.Sqrt(pooled * (1 - pooled) / (r.DesignedFor == 0 ? 500 : 550)), r.StandardError, 9);
        }
    }

    [Fact]
    public void OtherPeopleAreGroupedAndAveragedAndBadInputIsRejected()
    {
        var e = CreativeExperimentSimulation.Generate(2000, segments: 2, creativesPerSegment: 2, features: 2, seed: 8);
        var data = GroupLassoSolverTests.ToData(e);
        var model = GroupLassoSegmenter.Fit(data, 0.05, Alpha);
        // One person: one group of one, every creative, and the mean is that person's refit probability.
        var one = GroupLassoResponses.Estimate(data, model, new double[] { 1.5, -0.5 }, level: 0.9);
        Assert.Equal(4, one.Count);
        Assert.All(one, r => Assert.Equal((model.AssignSegment([1.5, -0.5]), 1), (r.Segment, r.People)));
        var wider = GroupLassoResponses.Estimate(data, model, new double[] { 1.5, -0.5 }, level: 0.99);
        Assert.All(one.Zip(wider), pair => Assert.True(pair.Second.Upper - pair.Second.Lower > pair.First.Upper - pair.First.Lower));
        Assert.Throws<ArgumentOutOfRangeException>(() => GroupLassoResponses.Estimate(data, model, level: 1));
        Assert.Throws<ArgumentException>(() => GroupLassoResponses.Estimate(data, model, new double[] { 1, 2, 3 }));
        Assert.Throws<ArgumentException>(() => GroupLassoResponses.Estimate(data, model, new double[] { 1, double.NaN }));
        var other = GroupLassoSolverTests.ToData(CreativeExperimentSimulation.Generate(500, segments: 3, creativesPerSegment: 2, features: 2, seed: 9));
        Assert.Throws<ArgumentException>(() => GroupLassoResponses.Estimate(other, model));
    }
}
