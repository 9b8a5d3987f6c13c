using Microsoft.ML.Causal.Data;
using Microsoft.ML.Causal.Simulation;

namespace Microsoft.ML.Causal.Tests.Simulation;

/// <summary>The multi-creative experiment's tables: whole, a range of people, with names.</summary>
public class CreativeExperimentTests
{
    [Fact]
    public void MorePeopleOfTheSameSeedExtendTheSameExperiment()
    {
        var small = CreativeExperimentSimulation.Generate(300, seed: 4);
        var large = CreativeExperimentSimulation.Generate(500, seed: 4);
        Assert.Equal(small.Deviates, large.Deviates);
        Assert.Equal(small.TrueCentreIntercepts, large.TrueCentreIntercepts);
        Assert.True(small.Features.Span.SequenceEqual(large.Features.Span[..small.Features.Length]));
        Assert.True(small.Responses.Span.SequenceEqual(large.Responses.Span[..300]));
        Assert.Equal(small.TrueSegments, large.TrueSegments.Take(300));
    }

    [Fact]
    public void ARangeOfPeopleWithNamesHoldsTheirRowsUnderTheNames()
    {
        var e = CreativeExperimentSimulation.Generate(50, segments: 2, creativesPerSegment: 2, features: 2, seed: 5);
        var view = e.ToDataView(10, 20, ["a", "b"], ["left", "right"], ["l1", "l2", "r1", "r2"]);
        Assert.Equal(20, view.RowCount);
        Assert.Equal(["a", "b", "Creative", "DesignedSegment", "Response"], view.Schema.Select(c => c.Name));
        var whole = e.ToDataView();
        Assert.Equal(["x1", "x2", "Creative", "DesignedSegment", "Response"], whole.Schema.Select(c => c.Name));
        for (var r = 0; r < 20; r++)
        {
            var i = 10 + r;
            Assert.Equal(e.Features.Span[i * 2 + 1], view.GetColumn<double>("b").Span[r]);
            Assert.Equal(e.Responses.Span[i], view.GetColumn<double>("Response").Span[r]);
            var creative = e.Creatives.Span[i];
            Assert.Equal(new[] { "l1", "l2", "r1", "r2" }[creative], view.GetColumn<string>("Creative").Span[r]);
            Assert.Equal(e.CreativeSegments[creative] == 0 ? "left" : "right", view.GetColumn<string>("DesignedSegment").Span[r]);
            Assert.Equal($"creative{creative}", whole.GetColumn<string>("Creative").Span[i]);
        }
        // The truth's response probability: σ of the centre plus the creative's deviation.
        var x = new[] { 0.3, -1.2 };
        var c = 3;
        var j = e.CreativeSegments[c];
        var eta = e.TrueCentreIntercepts[j] + e.TrueDeviations[c][0] + (e.TrueCentres[j][0] + e.TrueDeviations[c][1]) * 0.3 + (e.TrueCentres[j][1] + e.TrueDeviations[c][2]) * -1.2;
        Assert.Equal(1 / (1 + Math.Exp(-eta)), e.TrueResponseProbability(x, c), 14);
        Assert.Throws<ArgumentOutOfRangeException>(() => e.TrueResponseProbability(x, 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => e.ToDataView(40, 20));
        Assert.Throws<ArgumentException>(() => e.ToDataView(0, 5, ["a"]));
    }
}
