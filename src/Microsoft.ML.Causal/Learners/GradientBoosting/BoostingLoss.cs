using Microsoft.ML.Causal.Numerics;

namespace Microsoft.ML.Causal.Learners.GradientBoosting;

/// <summary>A loss for gradient boosting: starting score, per-row gradient and hessian, and the loss itself.</summary>
internal abstract class BoostingLoss
{
    public abstract double InitialScore(ReadOnlySpan<double> labels, TrainingSet data, ReadOnlySpan<int> rows);

    /// <summary>Gradient and hessian of the weighted loss with respect to the score.</summary>
    public abstract (double Gradient, double Hessian) Derivatives(double label, double score, double weight);

    public abstract double Loss(double label, double score);

    public static readonly BoostingLoss Squared = new SquaredLoss();
    public static readonly BoostingLoss Logistic = new LogisticLoss();

    protected static double WeightedMean(ReadOnlySpan<double> labels, TrainingSet data, ReadOnlySpan<int> rows)
    {
        double sum = 0, total = 0;
        foreach (var r in rows)
        {
            var w = data.WeightOf(r);
            sum += w * labels[r];
            total += w;
        }
        return sum / total;
    }

    /// <summary>½(s − y)² per row: starting score the weighted mean; gradient w(s − y), hessian w.</summary>
    private sealed class SquaredLoss : BoostingLoss
    {
        public override double InitialScore(ReadOnlySpan<double> labels, TrainingSet data, ReadOnlySpan<int> rows) => WeightedMean(labels, data, rows);

        public override (double, double) Derivatives(double label, double score, double weight) => (weight * (score - label), weight);

        public override double Loss(double label, double score) => 0.5 * (score - label) * (score - label);
    }

    /// <summary>Log loss on the logit s: p = σ(s); gradient w(p − y), hessian w·p(1 − p); starting score the logit of the weighted mean.</summary>
    private sealed class LogisticLoss : BoostingLoss
    {
        public override double InitialScore(ReadOnlySpan<double> labels, TrainingSet data, ReadOnlySpan<int> rows)
        {
            var p = Math.Clamp(WeightedMean(labels, data, rows), 1e-12, 1 - 1e-12);
            return Math.Log(p / (1 - p));
        }

        public override (double, double) Derivatives(double label, double score, double weight)
        {
            var p = LogisticMath.Sigmoid(score);
            return (weight * (p - label), weight * Math.Max(p * (1 - p), 1e-16));
        }

        public override double Loss(double label, double score) => LogisticMath.Softplus(score) - label * score; // log(1 + e^s) − y·s
    }
}
