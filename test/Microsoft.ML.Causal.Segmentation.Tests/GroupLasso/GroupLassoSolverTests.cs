using Microsoft.ML.Causal.Segmentation.GroupLasso;
using Microsoft.ML.Causal.Simulation;
using Xunit.Abstractions;

namespace Microsoft.ML.Causal.Segmentation.Tests.GroupLasso;

public class GroupLassoSolverTests(ITestOutputHelper output)
{
    internal static MultiCreativeData ToData(CreativeExperiment e, double[]? weights = null) =>
        new(e.Features, e.FeatureCount, e.Responses, e.Creatives, [.. e.CreativeSegments], weights);

    internal static ReferenceGroupLasso Reference(CreativeExperiment e, double[]? weights = null) =>
        new(e.Features.ToArray(), e.FeatureCount, e.Responses.ToArray(), e.Creatives.ToArray(), [.. e.CreativeSegments], weights);

    private static CreativeExperiment Small(int seed = 1) =>
        CreativeExperimentSimulation.Generate(600, segments: 2, creativesPerSegment: 3, features: 3, deviatingPerSegment: 1, deviation: 1.5, seed: seed);

    [Theory]
    [InlineData(0.5, 0.05)]
    [InlineData(0.5, 0.2)]
    [InlineData(0.0, 0.1)]
    [InlineData(0.3, 0.05)]
    public void ObjectiveMatchesTheSlowCoordinateDescentAndKktHolds(double alpha, double lambdaFraction)
    {
        var e = Small();
        var data = ToData(e);
        var lambda = lambdaFraction * GroupLassoSegmenter.LambdaMax(data, alpha);
        var model = GroupLassoSegmenter.Fit(data, lambda, alpha);
        var reference = Reference(e);
        reference.Load(model);
        var ours = reference.Objective(lambda, alpha);
        var kkt = reference.RelativeKkt(lambda, alpha);
        var slow = Reference(e);
        var theirs = slow.Solve(lambda, alpha);
        output.WriteLine($"α={alpha} λ={lambda:G4} (fused {model.FusedCount}, centre support {model.CentreSupport}): FISTA {ours:R} ({model.Iterations} it, reported {model.Objective:R}), BCD {theirs:R}, gap {(ours - theirs) / theirs:E2}, KKT {kkt:E2} (reported {model.KktResidual:E2})");
        Assert.True(model.Converged);
        Assert.True(kkt <= 1e-6, $"relative KKT residual {kkt}");
        Assert.True(Math.Abs(ours - theirs) <= 1e-6 * Math.Abs(theirs), $"FISTA {ours} vs BCD {theirs}");
        Assert.True(Math.Abs(ours - model.Objective) <= 1e-9 * Math.Abs(ours), $"reported objective {model.Objective} vs recomputed {ours}");
        Assert.True(ours <= theirs + 1e-9 * Math.Abs(theirs));
    }

    [Fact]
    public void EveryPathPointMeetsTheKktTolerance()
    {
        var e = CreativeExperimentSimulation.Generate(3000, segments: 3, creativesPerSegment: 4, features: 6, seed: 2);
        var path = GroupLassoSegmenter.FitPath(ToData(e), 0.25, new GroupLassoOptions { PathLength = 15 });
        var reference = Reference(e);
        for (var s = 0; s < path.Lambdas.Count; s++)
        {
            reference.Load(path.Models[s]);
            var kkt = reference.RelativeKkt(path.Lambdas[s], 0.25);
            output.WriteLine($"λ={path.Lambdas[s]:G4} it={path.Models[s].Iterations} fused={path.FusedCounts[s]} support={path.CentreSupportSizes[s]} KKT={kkt:E2}");
            Assert.True(kkt <= 1e-6, $"λ index {s}: KKT {kkt}");
        }
        Assert.Equal(12, path.FusedCounts[0]);
        Assert.Equal(0, path.CentreSupportSizes[0]);
        Assert.True(path.FusedCounts[^1] < 12);
        Assert.True(path.CentreSupportSizes[^1] > 0);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.3)]
    [InlineData(0.9)]
    public void AtAndAboveLambdaMaxEveryPenalizedPartIsZero(double alpha)
    {
        var e = Small(3);
        var data = ToData(e);
        var lambdaMax = GroupLassoSegmenter.LambdaMax(data, alpha);
        foreach (var factor in new[] { 1.0, 3.0 })
        {
            var model = GroupLassoSegmenter.Fit(data, lambdaMax * factor, alpha);
            Assert.All(model.Creatives, c => Assert.True(c.Fused));
            if (alpha > 0)
                Assert.All(model.Segments, s => Assert.Equal(0, s.Support));
        }
        // Just below λ_max something enters.
        var below = GroupLassoSegmenter.Fit(data, lambdaMax * 0.9, alpha);
        Assert.True(below.FusedCount < below.Creatives.Count || below.CentreSupport > 0);
    }

    [Fact]
    public void AlphaZeroIsPureFusionOntoThePooledFit()
    {
        var e = Small(4);
        var data = ToData(e);
        var lambdaMax = GroupLassoSegmenter.LambdaMax(data, 0);
        var fused = GroupLassoSegmenter.Fit(data, lambdaMax, 0);
        // Every creative equals its centre, and the centre is the segment's unpenalized logistic fit (KKT at λ = 0 for γ).
        var reference = Reference(e);
        reference.Load(fused);
        var (gamma, _) = reference.Gradient();
        Assert.All(gamma, g => Assert.All(g, v => Assert.True(Math.Abs(v) < 1e-7, $"pooled-fit gradient {v}")));
        Assert.All(fused.Segments, s => Assert.Equal(e.FeatureCount, s.Support));
        // Below λ_max, centres stay dense (no ℓ1) and only creatives separate.
        var looser = GroupLassoSegmenter.Fit(data, lambdaMax * 0.2, 0);
        Assert.All(looser.Segments, s => Assert.Equal(e.FeatureCount, s.Support));
        Assert.True(looser.FusedCount < looser.Creatives.Count);
    }

    [Fact]
    public void AlphaOneIsPureSparseCentresWithFreeCreatives()
    {
        var e = Small(5);
        var data = ToData(e);
        var model = GroupLassoSegmenter.Fit(data, 0.01, 1);
        // The centres' slopes are 0 (γ can move into the δ at no cost), and each creative is its own unpenalized fit.
        Assert.All(model.Segments, s => Assert.Equal(0, s.Support));
        var unpenalized = GroupLassoSegmenter.Fit(data, 0, 0.5);
        Assert.True(model.Converged);
        for (var c = 0; c < e.CreativeCount; c++)
        {
            Assert.Equal(unpenalized.Creatives[c].Intercept, model.Creatives[c].Intercept, 5);
            for (var l = 0; l < e.FeatureCount; l++)
                Assert.Equal(unpenalized.Creatives[c].Coefficients[l], model.Creatives[c].Coefficients[l], 5);
        }
    }

    [Fact]
    public void WeightsActAsDuplicatedRows()
    {
        var e = Small(6);
        var n = e.RowCount;
        var p = e.FeatureCount;
        var weights = new double[n];
        var x = new List<double>();
        var y = new List<double>();
        var cr = new List<int>();
        for (var i = 0; i < n; i++)
        {
            weights[i] = 1 + i % 3;
            for (var r = 0; r < weights[i]; r++)
            {
                x.AddRange(e.Features.Span.Slice(i * p, p).ToArray());
                y.Add(e.Responses.Span[i]);
                cr.Add(e.Creatives.Span[i]);
            }
        }
        var weighted = ToData(e, weights);
        var duplicated = new MultiCreativeData(x.ToArray(), p, y.ToArray(), cr.ToArray(), [.. e.CreativeSegments]);
        var options = new GroupLassoOptions { Tolerance = 1e-9 };
        var lambda = 0.1 * GroupLassoSegmenter.LambdaMax(weighted, 0.5);
        Assert.Equal(GroupLassoSegmenter.LambdaMax(weighted, 0.5), GroupLassoSegmenter.LambdaMax(duplicated, 0.5), 10);
        var a = GroupLassoSegmenter.Fit(weighted, lambda, 0.5, options);
        var b = GroupLassoSegmenter.Fit(duplicated, lambda, 0.5, options);
        output.WriteLine($"iterations {a.Iterations} / {b.Iterations}, KKT {a.KktResidual:E2} / {b.KktResidual:E2}");
        Assert.Equal(a.Objective, b.Objective, 10);
        for (var c = 0; c < e.CreativeCount; c++)
        {
            Assert.Equal(a.Creatives[c].Fused, b.Creatives[c].Fused);
            Assert.Equal(a.Creatives[c].Intercept, b.Creatives[c].Intercept, 1e-5);
            for (var l = 0; l < p; l++)
                Assert.Equal(a.Creatives[c].Coefficients[l], b.Creatives[c].Coefficients[l], 1e-5);
        }
    }

    [Theory]
    [InlineData(0.25)]
    [InlineData(0.0)]
    public void MajorizationAndFistaPathsReachTheSameObjectives(double alpha)
    {
        var e = CreativeExperimentSimulation.Generate(4000, segments: 3, creativesPerSegment: 3, features: 8, deviatingPerSegment: 1, deviation: 1, seed: 11);
        var data = ToData(e);
        var options = new GroupLassoOptions { PathLength = 12 };
        var mm = GroupLassoSegmenter.FitPath(data, alpha, options with { Solver = GroupLassoSolver.Majorization });
        var fista = GroupLassoSegmenter.FitPath(data, alpha, options with { Solver = GroupLassoSolver.Fista });
        // At α = 0, λ_max comes from the pooled fit, which each method solves only to the KKT tolerance.
        Assert.True(Math.Abs(fista.LambdaMax - mm.LambdaMax) <= 1e-6 * fista.LambdaMax, $"λ_max {mm.LambdaMax} vs {fista.LambdaMax}");
        var reference = Reference(e);
        for (var s = 0; s < mm.Lambdas.Count; s++)
        {
            var a = mm.Models[s];
            var b = fista.Models[s];
            reference.Load(a);
            var kkt = reference.RelativeKkt(mm.Lambdas[s], alpha);
            output.WriteLine($"λ={mm.Lambdas[s]:G4}: majorization {a.Objective:R} ({a.Iterations} steps), FISTA {b.Objective:R} ({b.Iterations} it), gap {(a.Objective - b.Objective) / b.Objective:E2}, KKT {kkt:E2}");
            Assert.True(a.Converged && b.Converged);
            Assert.True(kkt <= 1e-6, $"λ index {s}: KKT {kkt}");
            Assert.True(Math.Abs(a.Objective - b.Objective) <= 1e-7 * Math.Abs(b.Objective), $"λ index {s}: {a.Objective} vs {b.Objective}");
            Assert.Equal(b.FusedCount, a.FusedCount);
            Assert.Equal(b.CentreSupport, a.CentreSupport);
        }
    }
}
