using Microsoft.ML.Causal.Segmentation.GroupLasso;
using Microsoft.ML.Causal.Simulation;
using Xunit.Abstractions;

namespace Microsoft.ML.Causal.Segmentation.Tests.GroupLasso;

public class GroupLassoCrossValidationTests(ITestOutputHelper output)
{
    [Fact]
    public void RecoversWhichCreativesFitTheirSegmentAndAssignsPeople()
    {
        var e = CreativeExperimentSimulation.Generate(20_000, segments: 3, creativesPerSegment: 4, features: 5, deviatingPerSegment: 1,
            deviation: 1.0, seed: 11);
        var data = GroupLassoSolverTests.ToData(e);
        var options = new GroupLassoOptions
        {
            PathLength = 15,
            LambdaMinRatio = 0.02,
            Alphas = [0.15, 0.25, 0.35],
            Rule = GroupLassoSelectionRule.OneStandardError,
            Seed = 3,
        };
        var cv = GroupLassoSegmenter.CrossValidate(data, options);
        foreach (var rule in new[] { cv.Minimum, cv.OneStandardError })
        {
            var model = cv.Path.Models[rule.LambdaIndex];
            var (precision, recall) = Recovery(e, rule.Alpha == cv.Selected.Alpha ? model : GroupLassoSegmenter.Fit(data, rule.Lambda, rule.Alpha));
            output.WriteLine($"{(rule == cv.Minimum ? "min" : "1-SE")}: α={rule.Alpha} λ={rule.Lambda:G4} deviance {rule.MeanDeviance:F5} ± {rule.StandardError:F5}; deviating creatives precision {precision:F2} recall {recall:F2}");
        }
        var chosen = cv.Model;
        var (p, r) = Recovery(e, chosen);
        var accuracy = AssignmentAccuracy(e, chosen);
        output.WriteLine($"selected α={chosen.Alpha} λ={chosen.Lambda:G4}: precision {p:F2}, recall {r:F2}, segment assignment accuracy {accuracy:F3}, KKT {chosen.KktResidual:E2}");
        foreach (var c in chosen.Creatives)
            output.WriteLine($"  {c.Name} (segment {c.Segment}): deviates {e.Deviates[c.Index]}, fused {c.Fused}, ‖δ‖ {c.Deviation:F3}");
        Assert.True(p >= 0.9 && r >= 0.9, $"precision {p}, recall {r}");
        Assert.True(accuracy >= 0.8, $"assignment accuracy {accuracy}");
        Assert.True(chosen.Converged);
        Assert.Equal(3 * options.PathLength, cv.Curve.Count);
        Assert.All(cv.Curve, point => Assert.True(double.IsFinite(point.MeanDeviance) && double.IsFinite(point.StandardError)));
        Assert.True(cv.OneStandardError.Lambda >= cv.Minimum.Lambda);
        Assert.Equal(cv.Minimum.Alpha, cv.OneStandardError.Alpha);
    }

    internal static (double Precision, double Recall) Recovery(CreativeExperiment e, GroupLassoModel model)
    {
        int tp = 0, fp = 0, fn = 0;
        foreach (var c in model.Creatives)
        {
            var truth = e.Deviates[c.Index];
            if (!c.Fused && truth)
                tp++;
            else if (!c.Fused)
                fp++;
            else if (truth)
                fn++;
        }
        return (tp + fp == 0 ? 1 : (double)tp / (tp + fp), tp + fn == 0 ? 1 : (double)tp / (tp + fn));
    }

    internal static double AssignmentAccuracy(CreativeExperiment e, GroupLassoModel model)
    {
        var hits = 0;
        var x = e.Features.Span;
        for (var i = 0; i < e.RowCount; i++)
        {
            if (model.AssignSegment(x.Slice(i * e.FeatureCount, e.FeatureCount)) == e.TrueSegments[i])
                hits++;
        }
        return (double)hits / e.RowCount;
    }

    [Fact]
    public void CrossValidationDoesNotDependOnTheThreadCount()
    {
        var e = CreativeExperimentSimulation.Generate(2000, segments: 3, creativesPerSegment: 3, features: 4, seed: 12);
        var data = GroupLassoSolverTests.ToData(e);
        var one = GroupLassoSegmenter.CrossValidate(data, new GroupLassoOptions { PathLength = 6, LambdaMinRatio = 0.05, Alphas = [0.1, 0.3], MaxDegreeOfParallelism = 1, Seed = 5 });
        var many = GroupLassoSegmenter.CrossValidate(data, new GroupLassoOptions { PathLength = 6, LambdaMinRatio = 0.05, Alphas = [0.1, 0.3], MaxDegreeOfParallelism = 4, Seed = 5 });
        Assert.Equal(one.Curve, many.Curve);
        Assert.Equal(one.Selected, many.Selected);
        for (var c = 0; c < e.CreativeCount; c++)
        {
            Assert.Equal(one.Model.Creatives[c].Intercept, many.Model.Creatives[c].Intercept);
            Assert.Equal(one.Model.Creatives[c].Coefficients, many.Model.Creatives[c].Coefficients);
        }
        var reseeded = GroupLassoSegmenter.CrossValidate(data, new GroupLassoOptions { PathLength = 6, LambdaMinRatio = 0.05, Alphas = [0.1, 0.3], Seed = 6 });
        Assert.NotEqual(one.Curve.Select(p => p.MeanDeviance), reseeded.Curve.Select(p => p.MeanDeviance));
    }

    [Fact]
    public void FoldsAreStratifiedByCreativeAndResponse()
    {
        var e = CreativeExperimentSimulation.Generate(3000, seed: 13);
        var data = GroupLassoSolverTests.ToData(e);
        var folds = GroupLassoCrossValidator.Folds(data, 5, 0);
        for (var c = 0; c < e.CreativeCount; c++)
        {
            for (var y = 0; y <= 1; y++)
            {
                var counts = new int[5];
                for (var i = 0; i < e.RowCount; i++)
                {
                    if (e.Creatives.Span[i] == c && e.Responses.Span[i] == y)
                        counts[folds[i]]++;
                }
                Assert.True(counts.Max() - counts.Min() <= 1, $"creative {c}, y={y}: {string.Join(",", counts)}");
            }
        }
    }
}
