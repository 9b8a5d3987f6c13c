using Microsoft.ML.Causal.Segmentation;

namespace Microsoft.ML.Causal.Segmentation.Tests;

public class SegmentationCatalogTests
{
    [Fact]
    public void TheCatalogHangsOffTheContextAndCarriesIt()
    {
        var ctx = new CausalContext(17);
        Assert.Same(ctx, ctx.Segmentation.Context);
        Assert.Equal(17, ctx.Segmentation.Context.Seed);
    }
}
