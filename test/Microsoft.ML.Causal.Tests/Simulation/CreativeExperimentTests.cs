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
        Assert.Throws<ArgumentOutOfRangeException>(() => e.ToDataView(40, 20));
        Assert.Throws<ArgumentException>(() => e.ToDataView(0, 5, ["a"]));
    }
}
