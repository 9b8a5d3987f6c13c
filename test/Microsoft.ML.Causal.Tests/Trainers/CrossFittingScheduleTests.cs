using Microsoft.ML.Causal.Learners;
using Microsoft.ML.Causal.Trainers;

namespace Microsoft.ML.Causal.Tests.Trainers;

/// <summary>Cross-fitting runs independent fold fits side by side; the schedule must not show in any result.</summary>
public class CrossFittingScheduleTests
{
    [Theory]
    [InlineData(1, 5, new[] { 1, 1, 1, 1, 1 })]
    [InlineData(2, 5, new[] { 1, 1, 1, 1, 2 })]
    [InlineData(2, 4, new[] { 1, 1, 1, 1 })]
    [InlineData(8, 5, new[] { 2, 2, 2, 1, 1 })]
    [InlineData(3, 1, new[] { 3 })]
    public void EveryFitRunsOnceAndTheLastOnesShareTheThreadCap(int cap, int count, int[] threads)
    {
        var seen = new int[count];
        var given = new int[count];
        CrossFitting.ForEachFit(count, new FitContext { MaxDegreeOfParallelism = cap }, (job, context) =>
        {
            Interlocked.Increment(ref seen[job]);
            given[job] = context.MaxDegreeOfParallelism;
        });
        Assert.All(seen, s => Assert.Equal(1, s));
        Assert.Equal(threads, given);
    }

    [Fact]
    public void TheLowestFailingFitsErrorIsRethrownAsItself()
    {
        var error = Assert.Throws<DataValidationException>(() => CrossFitting.ForEachFit(6, new FitContext { MaxDegreeOfParallelism = 2 }, (job, _) =>
        {
            if (job == 4)
                throw new InvalidOperationException("job 4");
            if (job == 1)
                throw new DataValidationException("learner", "Label", 7, "job 1 failed.", "Fix it.");
        }));
        Assert.Contains("job 1", error.Message);
    }

    /// <summary>Three arms: the DR-learner cross-fits three outcome models and three propensity models (15 fold fits each).</summary>
    [Fact]
    public void ADrFitIsTheSameForOneTwoAndThreeThreads()
    {
        var (data, _) = CateTreatmentKindsTests.ThreeArms(900, 5);
        var fits = new[] { 1, 2, 3 }.Select(t => CateEstimatorTests.Create("dr").Fit(data, new FitContext { Seed = 4, MaxDegreeOfParallelism = t })).ToArray();
        Span<double> first = stackalloc double[2], other = stackalloc double[2];
        for (var i = 0; i < 100; i++)
        {
            fits[0].PredictCate(data.Features.Row(i), first);
            foreach (var fit in fits.Skip(1))
            {
                fit.PredictCate(data.Features.Row(i), other);
                Assert.Equal(first[0], other[0]);
                Assert.Equal(first[1], other[1]);
            }
        }
        for (var k = 0; k < fits[0].AverageEffects.Length; k++)
            Assert.All(fits, f => Assert.Equal(fits[0].AverageEffects[k].StandardError, f.AverageEffects[k].StandardError));
    }
}
