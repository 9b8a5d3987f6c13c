namespace Microsoft.ML.Causal.Evaluation;

internal static class MetricChecks
{
    public static void Check(ReadOnlySpan<double> labels, ReadOnlySpan<double> predictions, ReadOnlySpan<double> weights)
    {
        if (labels.Length != predictions.Length || (!weights.IsEmpty && weights.Length != labels.Length))
            throw new ArgumentException($"{labels.Length} labels, {predictions.Length} predictions and {weights.Length} weights: the lengths must match.");
        if (labels.Length == 0)
            throw new ArgumentException("There are no rows to evaluate.");
        double total = 0;
        for (var i = 0; i < labels.Length; i++)
        {
            if (!double.IsFinite(labels[i]) || !double.IsFinite(predictions[i]))
                throw new ArgumentException($"Row {i}: the label ({labels[i]}) and the prediction ({predictions[i]}) must be finite.");
            if (!weights.IsEmpty)
            {
                if (!double.IsFinite(weights[i]) || weights[i] < 0)
                    throw new ArgumentException($"Row {i}: the weight {weights[i]} must be finite and non-negative.");
                total += weights[i];
            }
        }
        if (!weights.IsEmpty && total <= 0)
            throw new ArgumentException("Every weight is 0.");
    }
}
