using Microsoft.ML.Causal.Learners;
using Microsoft.ML.Causal.Learners.GradientBoosting;
using Microsoft.ML.Causal.Simulation;
using Microsoft.ML.Causal.Trainers;

namespace Microsoft.ML.Causal.Tests.Trainers;

public class CateInferenceTests
{
    [Fact]
    public void BootstrapIntervalsBracketThePointEstimateAndDoNotDependOnTheThreadCount()
    {
        var data = CausalSimulations.NieWagerB(600, 5, seed: 3).ToCateData();
        var one = CateEstimatorTests.Create("t", replicates: 8).Fit(data, new FitContext { Seed = 9, MaxDegreeOfParallelism = 1 });
        var two = CateEstimatorTests.Create("t", replicates: 8).Fit(data, new FitContext { Seed = 9, MaxDegreeOfParallelism = 2 });
        Assert.True(one.HasIntervals);
        Assert.False(one.HasAnalyticIntervals);
        Span<double> lo1 = stackalloc double[1], hi1 = stackalloc double[1], lo2 = stackalloc double[1], hi2 = stackalloc double[1];
        for (var i = 0; i < 50; i++)
        {
            var x = data.Features.Row(i);
            one.PredictInterval(x, 0.9, lo1, hi1);
            two.PredictInterval(x, 0.9, lo2, hi2);
            Assert.Equal(lo1[0], lo2[0]);
            Assert.Equal(hi1[0], hi2[0]);
            Assert.True(lo1[0] < hi1[0]);
        }
        // A wider level gives a wider interval.
        var point = data.Features.Row(0);
        one.PredictInterval(point, 0.5, lo2, hi2);
        one.PredictInterval(point, 0.99, lo1, hi1);
        Assert.True(lo1[0] <= lo2[0] && hi1[0] >= hi2[0]);
    }

    [Fact]
    public void WithoutReplicatesAMethodWithoutAnalyticIntervalsSaysHowToGetThem()
    {
        var data = CausalSimulations.NieWagerB(300, 5, seed: 3).ToCateData();
        var model = CateEstimatorTests.Create("dr").Fit(data);
        Assert.False(model.HasIntervals);
        var error = Assert.Throws<InvalidOperationException>(() => model.PredictInterval(data.Features.Row(0), 0.95, new double[1], new double[1]));
        Assert.Contains("BootstrapReplicates", error.Message);
    }

    [Fact]
    public void ClippedPropensitiesAreReportedOnTheModelAndAsAWarning()
    {
        // Wager–Athey design 1 has e(x) down to 0.25 and up to ≈ 0.86; bounds [0.3, 0.7] must clip some rows.
        var data = CausalSimulations.WagerAtheyConfounded(1000, 2, seed: 5).ToCateData();
        var log = new List<(CausalLogKind Kind, string Message)>();
        var learner = new DRLearner(new FinalStageOptions
        {
            OutcomeLearner = new GradientBoostingRegressionLearner(CateEstimatorTests.Boost),
            PropensityLearner = new GradientBoostingClassificationLearner(CateEstimatorTests.Boost),
            Propensity = new PropensityOptions { ClipLower = 0.3, ClipUpper = 0.7 },
            BootstrapReplicates = 0,
        });
        var model = learner.Fit(data, new FitContext { Seed = 1, Log = (kind, _, message) => log.Add((kind, message)) });
        var overlap = model.Overlap!;
        Assert.False(overlap.Known);
        Assert.True(overlap.ShareClipped > 0 && overlap.ShareClipped < 1);
        Assert.True(overlap.MinPropensity < 0.3 || overlap.MaxPropensity > 0.7);
        Assert.Contains(log, l => l.Kind == CausalLogKind.Warning && l.Message.Contains("clipped"));
    }

    [Fact]
    public void AKnownPropensityIsUsedAsGivenAndNotLearned()
    {
        var data = CausalSimulations.NieWagerB(400, 5, seed: 6).ToCateData();
        var model = new TLearner(new MetaLearnerOptions
        {
            OutcomeLearner = new GradientBoostingRegressionLearner(CateEstimatorTests.Boost),
            PropensityLearner = new ThrowingClassifier(),
            Propensity = new PropensityOptions { Constant = 0.5 },
            BootstrapReplicates = 0,
        }).Fit(data);
        Assert.True(model.Overlap!.Known);
        Assert.Equal(0.5, model.Overlap.MinPropensity);
        Assert.Equal(0, model.Overlap.ShareClipped);
    }

    [Fact]
    public void BadInputsGetErrorsNamingTheColumnAndRow()
    {
        var sim = CausalSimulations.NieWagerB(100, 5, seed: 1);
        var y = sim.Outcome.ToArray();
        y[17] = double.NaN;
        var data = sim.ToCateData() with { Outcome = y };
        var nan = Assert.Throws<DataValidationException>(() => new TLearner().Fit(data));
        Assert.Equal(("Y", 17), (nan.ColumnName, nan.Row));

        // An arm too small for the folds: name the arm and both numbers.
        var w = Enumerable.Repeat(0.0, 100).ToArray();
        for (var i = 0; i < 6; i++)
            w[i] = 1;
        var small = new CateData(sim.ToFeatureMatrix(), sim.Outcome.ToArray(), TreatmentAssignment.FromValues(w, 0, "W"));
        var few = Assert.Throws<DataValidationException>(() => new DRLearner().Fit(small));
        Assert.Contains("'1' has 6 rows", few.Message);
        Assert.Contains("10", few.Message);

        Assert.Throws<DataValidationException>(() => TreatmentAssignment.FromValues(Enumerable.Repeat(1.0, 10).ToArray(), null, "W"));
        var bad = Assert.Throws<DataValidationException>(() => sim.ToCateData() with { Propensity = Enumerable.Repeat(0.0, 100).ToArray() } is var d ? new TLearner().Fit(d) : null);
        Assert.Equal(0, bad.Row);
    }

    private sealed class ThrowingClassifier : IClassificationLearner
    {
        public IProbabilityModel Fit(TrainingSet data, FitContext? context = null) => throw new InvalidOperationException("The propensity was known; nothing should be learned.");
    }
}
