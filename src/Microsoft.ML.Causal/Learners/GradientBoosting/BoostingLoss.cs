using System.Numerics.Tensors;
using Microsoft.ML.Causal.Numerics;

namespace Microsoft.ML.Causal.Learners.GradientBoosting;

/// <summary>A loss for gradient boosting: starting score, per-row gradient and hessian, and the loss itself.</summary>
internal abstract class BoostingLoss
{
    public abstract double InitialScore(ReadOnlySpan<double> labels, TrainingSet data, ReadOnlySpan<int> rows);

    /// <summary>
    /// Gradients and hessians of the weighted loss with respect to the score for one block of rows: for the
    /// i-th of <paramref name="rows"/>, r = rows[i], writes <paramref name="gradients"/>[r] and
    /// <paramref name="hessians"/>[r]. <paramref name="weights"/> is null when every weight is 1.
    /// <paramref name="buffer"/> holds at least rows.Length doubles of scratch.
    /// </summary>
    public abstract void Derivatives(ReadOnlySpan<int> rows, double[] labels, double[] scores, double[]? weights, double[] gradients, double[] hessians, Span<double> buffer);

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

        public override void Derivatives(ReadOnlySpan<int> rows, double[] labels, double[] scores, double[]? weights, double[] gradients, double[] hessians, Span<double> buffer)
        {
            foreach (var r in rows)
            {
                var w = weights is null ? 1 : weights[r];
                gradients[r] = w * (scores[r] - labels[r]);
                hessians[r] = w;
            }
        }

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

        /// <remarks>σ runs vectorized over the block (gathered scores); it is elementwise, so the result does not depend on the blocking.</remarks>
        public override void Derivatives(ReadOnlySpan<int> rows, double[] labels, double[] scores, double[]? weights, double[] gradients, double[] hessians, Span<double> buffer)
        {
            var p = buffer[..rows.Length];
            for (var i = 0; i < rows.Length; i++)
                p[i] = scores[rows[i]];
            TensorPrimitives.Sigmoid(p, p);
            for (var i = 0; i < rows.Length; i++)
            {
                var r = rows[i];
                var w = weights is null ? 1 : weights[r];
                gradients[r] = w * (p[i] - labels[r]);
                hessians[r] = w * Math.Max(p[i] * (1 - p[i]), 1e-16);
            }
        }

        public override double Loss(double label, double score) => LogisticMath.Softplus(score) - label * score; // log(1 + e^s) − y·s
    }
}
