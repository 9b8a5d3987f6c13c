using Microsoft.ML.Causal.Evaluation;

namespace Microsoft.ML.Causal.Tests.Learners;

public class EvaluationTests
{
    [Fact]
    public void RegressionMetricsByHand()
    {
        double[] y = [1, 2, 3, 4];
        double[] p = [1.5, 2, 2, 5];
        var m = RegressionEvaluation.Compute(y, p);
        // Errors −0.5, 0, 1, −1: SSE 2.25, SAE 2.5; SST = 5 around the mean 2.5.
        Assert.Equal(Math.Sqrt(2.25 / 4), m.Rmse, 15);
        Assert.Equal(2.5 / 4, m.Mae, 15);
        Assert.Equal(1 - 2.25 / 5, m.RSquared, 15);
        var weighted = RegressionEvaluation.Compute(y, p, [2, 1, 1, 0]);
        Assert.Equal(Math.Sqrt((2 * 0.25 + 0 + 1) / 4), weighted.Rmse, 15);
    }

    [Fact]
    public void AucEqualsTheShareOfCorrectlyOrderedPairsWithTiesHalf()
    {
        double[] y = [0, 1, 0, 1, 1, 0, 0, 1];
        double[] p = [0.1, 0.4, 0.4, 0.8, 0.3, 0.9, 0.2, 0.4];
        double pairs = 0, good = 0;
        for (var i = 0; i < y.Length; i++)
        {
            for (var j = 0; j < y.Length; j++)
            {
                if (y[i] == 1 && y[j] == 0)
                {
                    pairs++;
                    good += p[i] > p[j] ? 1 : p[i] == p[j] ? 0.5 : 0;
                }
            }
        }
        var m = BinaryEvaluation.Compute(y, p);
        Assert.Equal(good / pairs, m.Auc, 15);
        var logLoss = -y.Select((v, i) => v == 1 ? Math.Log(p[i]) : Math.Log(1 - p[i])).Average();
        Assert.Equal(logLoss, m.LogLoss, 14);
        Assert.Equal(4.0 / 8, m.Accuracy, 15); // predicted 1 where p ≥ 0.5 (rows 3 and 5): right at rows 0, 2, 3 and 6
    }

    [Fact]
    public void BadInputIsRejected()
    {
        Assert.Throws<ArgumentException>(() => RegressionEvaluation.Compute([1, 2], [1]));
        Assert.Throws<ArgumentException>(() => RegressionEvaluation.Compute([1, double.NaN], [1, 2]));
        Assert.Throws<ArgumentException>(() => BinaryEvaluation.Compute([1, 1], [0.2, 0.3]));
        Assert.Throws<ArgumentException>(() => BinaryEvaluation.Compute([0, 2], [0.2, 0.3]));
        Assert.Throws<ArgumentException>(() => BinaryEvaluation.Compute([0, 1], [0.2, 1.3]));
    }
}
