namespace Microsoft.ML.Causal.Evaluation;

/// <summary>Quality of predicted probabilities for 0/1 labels, weighted when weights are given.</summary>
/// <param name="LogLoss">−Σ w [y log p + (1 − y) log(1 − p)] / Σ w, with p clipped to [1e-15, 1 − 1e-15].</param>
/// <param name="Auc">Area under the ROC curve: the probability that a random positive outranks a random negative (ties count ½).</param>
/// <param name="Accuracy">Share of rows where (p ≥ 0.5) equals the label.</param>
/// <param name="Count">Rows evaluated.</param>
public sealed record BinaryEvaluation(double LogLoss, double Auc, double Accuracy, int Count)
{
    /// <summary>Computes the metrics.</summary>
    /// <exception cref="ArgumentException">Lengths differ, a label is not 0/1, only one class is present, or a probability is outside [0, 1].</exception>
    public static BinaryEvaluation Compute(ReadOnlySpan<double> labels, ReadOnlySpan<double> probabilities, ReadOnlySpan<double> weights = default)
    {
        MetricChecks.Check(labels, probabilities, weights);
        double sw = 0, loss = 0, correct = 0, positive = 0, negative = 0;
        for (var i = 0; i < labels.Length; i++)
        {
            var y = labels[i];
            var p = probabilities[i];
            if (y is not (0 or 1))
                throw new ArgumentException($"Label {i} is {y}; binary metrics need labels 0 or 1.", nameof(labels));
            if (p is < 0 or > 1)
                throw new ArgumentException($"Probability {i} is {p}; probabilities lie in [0, 1].", nameof(probabilities));
            var w = weights.IsEmpty ? 1 : weights[i];
            var q = Math.Clamp(p, 1e-15, 1 - 1e-15);
            sw += w;
            loss -= w * (y == 1 ? Math.Log(q) : Math.Log(1 - q));
            correct += (p >= 0.5) == (y == 1) ? w : 0;
            if (y == 1)
                positive += w;
            else
                negative += w;
        }
        if (positive == 0 || negative == 0)
            throw new ArgumentException("Every label is the same; AUC needs both classes.", nameof(labels));
        return new BinaryEvaluation(loss / sw, AreaUnderCurve(labels, probabilities, weights, positive, negative), correct / sw, labels.Length);
    }

    /// <summary>Weighted AUC by sorting: each positive counts the weight of the negatives below it, ties half.</summary>
    private static double AreaUnderCurve(ReadOnlySpan<double> labels, ReadOnlySpan<double> scores, ReadOnlySpan<double> weights, double positive, double negative)
    {
        var order = new int[labels.Length];
        for (var i = 0; i < order.Length; i++)
            order[i] = i;
        var keys = scores.ToArray();
        Array.Sort(keys, order);
        double below = 0, area = 0;
        for (var start = 0; start < order.Length;)
        {
            var end = start;
            double tiedPositive = 0, tiedNegative = 0;
            while (end < order.Length && keys[end] == keys[start])
            {
                var i = order[end++];
                var w = weights.IsEmpty ? 1 : weights[i];
                if (labels[i] == 1)
                    tiedPositive += w;
                else
                    tiedNegative += w;
            }
            area += tiedPositive * (below + 0.5 * tiedNegative);
            below += tiedNegative;
            start = end;
        }
        return area / (positive * negative);
    }
}
