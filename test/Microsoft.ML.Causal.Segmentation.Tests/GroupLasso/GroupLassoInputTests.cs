using Microsoft.ML.Causal.Segmentation.GroupLasso;
using Microsoft.ML.Causal.Simulation;

namespace Microsoft.ML.Causal.Segmentation.Tests.GroupLasso;

public class GroupLassoInputTests
{
    private static readonly MultiCreativeNames Names = new()
    {
        Response = "clicked",
        Creative = "ad",
        Features = ["age", "visits", "spend"],
        Creatives = ["a", "b", "c", "d"],
        Segments = ["fans", "casuals"],
    };

    private static (double[] X, double[] Y, int[] C) Arrays()
    {
        var e = CreativeExperimentSimulation.Generate(400, segments: 2, creativesPerSegment: 2, features: 3, seed: 21);
        return (e.Features.ToArray(), e.Responses.ToArray(), e.Creatives.ToArray());
    }

    private static MultiCreativeData Build(double[] x, double[] y, int[] c, double[]? w = null) =>
        new(x, 3, y, c, [0, 0, 1, 1], w, Names);

    [Fact]
    public void NaNFeatureNamesColumnAndRow()
    {
        var (x, y, c) = Arrays();
        x[17 * 3 + 1] = double.NaN;
        var ex = Assert.Throws<DataValidationException>(() => Build(x, y, c));
        Assert.Equal("visits", ex.ColumnName);
        Assert.Equal(17, ex.Row);
        Assert.Contains("NaN", ex.Message);
    }

    [Theory]
    [InlineData(2.0)]
    [InlineData(0.5)]
    [InlineData(double.NaN)]
    public void ResponseThatIsNotZeroOrOneNamesColumnAndRow(double value)
    {
        var (x, y, c) = Arrays();
        y[33] = value;
        var ex = Assert.Throws<DataValidationException>(() => Build(x, y, c));
        Assert.Equal("clicked", ex.ColumnName);
        Assert.Equal(33, ex.Row);
        Assert.Contains("not 0 or 1", ex.Message);
    }

    [Fact]
    public void CreativeWithOneClassIsNamed()
    {
        var (x, y, c) = Arrays();
        for (var i = 0; i < y.Length; i++)
        {
            if (c[i] == 2)
                y[i] = 0;
        }
        var ex = Assert.Throws<DataValidationException>(() => Build(x, y, c));
        Assert.Equal("ad", ex.ColumnName);
        Assert.Contains("creative 'c' (segment 'casuals')", ex.Message);
        Assert.Contains("only responses 0", ex.Message);
        Assert.Equal(Array.IndexOf(c, 2), ex.Row);
    }

    [Fact]
    public void NegativeWeightAndBadCreativeIndexAreNamed()
    {
        var (x, y, c) = Arrays();
        var w = Enumerable.Repeat(1.0, y.Length).ToArray();
        w[5] = -1;
        var ex = Assert.Throws<DataValidationException>(() => Build(x, y, c, w));
        Assert.Equal("weight", ex.ColumnName);
        Assert.Equal(5, ex.Row);
        c[9] = 7;
        var bad = Assert.Throws<DataValidationException>(() => Build(x, y, c));
        Assert.Equal("ad", bad.ColumnName);
        Assert.Equal(9, bad.Row);
    }

    [Fact]
    public void LambdaAndAlphaOutOfRangeAreRejected()
    {
        var (x, y, c) = Arrays();
        var data = Build(x, y, c);
        var l = Assert.Throws<ArgumentOutOfRangeException>(() => GroupLassoSegmenter.Fit(data, -0.1, 0.5));
        Assert.Equal("lambda", l.ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => GroupLassoSegmenter.Fit(data, double.NaN, 0.5));
        foreach (var alpha in new[] { -0.01, 1.01, double.NaN })
        {
            var a = Assert.Throws<ArgumentOutOfRangeException>(() => GroupLassoSegmenter.Fit(data, 0.1, alpha));
            Assert.Equal("alpha", a.ParamName);
        }
        var path = Assert.Throws<ArgumentOutOfRangeException>(() => GroupLassoSegmenter.FitPath(data, 1));
        Assert.Contains("α = 1", path.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => GroupLassoSegmenter.CrossValidate(data, new GroupLassoOptions { Alphas = [0.2, 1.5] }));
        Assert.Throws<ArgumentOutOfRangeException>(() => GroupLassoSegmenter.CrossValidate(data, new GroupLassoOptions { Folds = 1 }));
    }

    [Fact]
    public void ScoringChecksThePerson()
    {
        var (x, y, c) = Arrays();
        var model = GroupLassoSegmenter.Fit(Build(x, y, c), 0.01, 0.2);
        Assert.Throws<ArgumentException>(() => model.AssignSegment([1.0, 2.0]));
        var ex = Assert.Throws<ArgumentException>(() => model.SegmentScore([1.0, double.NaN, 0], 0));
        Assert.Contains("visits", ex.Message);
        Span<double> scores = stackalloc double[2];
        model.SegmentScores([0.5, -1, 2], scores);
        Assert.Equal(scores[0] >= scores[1] ? 0 : 1, model.AssignSegment([0.5, -1, 2]));
        var p = model.PredictResponse([0.5, -1, 2], 3);
        Assert.InRange(p, 0, 1);
        Span<double> all = stackalloc double[4];
        model.PredictResponses([0.5, -1, 2], all);
        Assert.Equal(p, all[3]);
    }
}
