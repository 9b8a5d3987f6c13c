using Microsoft.ML.Causal.Learners;
using Microsoft.ML.Causal.Learners.GradientBoosting;
using Microsoft.ML.Causal.Learners.RandomForest;
using Microsoft.ML.Causal.TestFramework;

namespace Microsoft.ML.Causal.Tests.Learners;

public class ProgressAndCancellationTests
{
    private sealed class Collect : IProgress<LearnerProgress>
    {
        public List<LearnerProgress> Reports { get; } = [];

        public void Report(LearnerProgress value)
        {
            lock (Reports)
                Reports.Add(value);
        }
    }

    [Fact]
    public void BoostingReportsEveryTree()
    {
        var (train, _, _) = GradientBoostingTests.Friedman(500, seed: 1);
        var progress = new Collect();
        new GradientBoostingRegressionLearner(new GradientBoostingOptions { NumberOfTrees = 12 }).Fit(train, new FitContext { Progress = progress });
        Assert.Equal(Enumerable.Range(1, 12), progress.Reports.Select(r => r.Done));
        Assert.All(progress.Reports, r => Assert.Equal(12, r.Total));
    }

    [Fact]
    public void ForestReportsEveryTree()
    {
        var (train, _, _) = GradientBoostingTests.Friedman(500, seed: 1);
        var progress = new Collect();
        new RandomForestRegressionLearner(new RandomForestOptions { NumberOfTrees = 16 }).Fit(train, new FitContext { Progress = progress });
        Assert.Equal(Enumerable.Range(1, 16), progress.Reports.Select(r => r.Done).Order());
    }

    [Fact]
    public void ACancelledFitThrowsAndReturnsNothing()
    {
        var (train, _, _) = GradientBoostingTests.Friedman(500, seed: 1);
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        var context = new FitContext { CancellationToken = cancel.Token };
        Assert.ThrowsAny<OperationCanceledException>(() => new GradientBoostingRegressionLearner().Fit(train, context));
        Assert.ThrowsAny<OperationCanceledException>(() => new RandomForestRegressionLearner().Fit(train, context));
    }

    [Fact]
    public void CatalogTrainersLogProgressToTheContext()
    {
        var ctx = new CausalContext(1);
        var messages = new List<CausalLogEventArgs>();
        ctx.Log += (_, e) => messages.Add(e);
        ctx.Transforms.Featurize("Features", "Income", "Age")
            .Append(ctx.Regression.Trainers.GradientBoosting(labelColumnName: "Visits", numberOfTrees: 20))
            .Fit(TestTables.Mixed(300));
        Assert.Equal(10, messages.Count); // one per tenth of the trees
        Assert.All(messages, m => Assert.Equal(nameof(GradientBoostingRegressionLearner), m.Source));
        Assert.Contains("20 of 20", messages[^1].Message);
    }
}
