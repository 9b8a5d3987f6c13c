namespace Microsoft.ML.Causal.Learners;

/// <summary>The checks every learner runs on its <see cref="TrainingSet"/> before fitting.</summary>
internal static class TrainingSetChecks
{
    /// <summary>Labels and weights finite, weights non-negative, rows in range, at least <paramref name="minimumRows"/> rows.</summary>
    public static void Check(TrainingSet data, string learner, int minimumRows)
    {
        ArgumentNullException.ThrowIfNull(data);
        var n = data.Features.RowCount;
        if (data.Labels.Length != n)
            throw new ArgumentException($"{learner}: {data.Labels.Length} labels for {n} feature rows.");
        if (!data.Weights.IsEmpty && data.Weights.Length != n)
            throw new ArgumentException($"{learner}: {data.Weights.Length} weights for {n} feature rows.");
        if (data.Count < minimumRows)
        {
            throw new DataValidationException(learner, data.LabelColumnName, null,
                $"there are {data.Count} rows to fit on, fewer than the {minimumRows} the options need (the minimum rows per leaf, or per fold).",
                "Pass more rows or lower the minimum.");
        }
        var labels = data.Labels.Span;
        var weights = data.Weights.Span;
        var rows = data.Rows.Span;
        double totalWeight = 0;
        for (var i = 0; i < data.Count; i++)
        {
            var r = rows.IsEmpty ? i : rows[i];
            if ((uint)r >= (uint)n)
                throw new ArgumentOutOfRangeException(nameof(data), $"{learner}: row index {r} is outside 0 … {n - 1}.");
            if (!double.IsFinite(labels[r]))
                throw DataValidationException.NotFinite(learner, data.LabelColumnName, r, labels[r], "Remove or fix the row; labels must be finite numbers.");
            if (!weights.IsEmpty)
            {
                var w = weights[r];
                if (!double.IsFinite(w))
                    throw DataValidationException.NotFinite(learner, data.WeightColumnName, r, w, "Weights must be finite and non-negative.");
                if (w < 0)
                    throw new DataValidationException(learner, data.WeightColumnName, r, $"the weight is {w}; weights must be non-negative.", "Fix the weight or leave the row out.");
                totalWeight += w;
            }
        }
        if (!weights.IsEmpty && totalWeight <= 0)
            throw new DataValidationException(learner, data.WeightColumnName, null, "every weight of the rows fitted on is 0.", "Give some rows a positive weight.");
    }

    /// <summary>As <see cref="Check"/>, and every label 0 or 1 with both classes present.</summary>
    public static void CheckBinary(TrainingSet data, string learner, int minimumRows)
    {
        Check(data, learner, minimumRows);
        var labels = data.Labels.Span;
        bool zero = false, one = false;
        for (var i = 0; i < data.Count; i++)
        {
            var r = data.RowAt(i);
            var y = labels[r];
            if (y == 0)
                zero = true;
            else if (y == 1)
                one = true;
            else
                throw new DataValidationException(learner, data.LabelColumnName, r, $"the label is {y}; a binary classifier needs labels 0 or 1.", "Recode the label as 0/1.");
        }
        if (!zero || !one)
            throw new DataValidationException(learner, data.LabelColumnName, null, $"every label is {(one ? 1 : 0)}; a classifier needs both classes.", "Fit on data with both classes.");
    }
}
