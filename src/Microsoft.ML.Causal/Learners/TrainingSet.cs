namespace Microsoft.ML.Causal.Learners;

/// <summary>
/// What a learner fits on: features, a label per row, and optionally weights and a subset of rows. Labels and
/// weights are indexed by row of <see cref="Features"/>, so a fold is just another <see cref="Rows"/>.
/// </summary>
/// <param name="Features">The feature matrix.</param>
/// <param name="Labels">One label per row of <paramref name="Features"/>.</param>
public sealed record TrainingSet(FeatureMatrix Features, ReadOnlyMemory<double> Labels)
{
    /// <summary>One non-negative weight per row of <see cref="Features"/>; empty means every weight is 1.</summary>
    public ReadOnlyMemory<double> Weights { get; init; }

    /// <summary>The rows to fit on (ascending order is fastest); empty means all rows.</summary>
    public ReadOnlyMemory<int> Rows { get; init; }

    /// <summary>The label column's name, for error messages (default <c>Label</c>).</summary>
    public string LabelColumnName { get; init; } = "Label";

    /// <summary>The weight column's name, for error messages (default <c>Weight</c>).</summary>
    public string WeightColumnName { get; init; } = "Weight";

    /// <summary>Number of rows fitted on.</summary>
    public int Count => Rows.IsEmpty ? Features.RowCount : Rows.Length;

    /// <summary>The <paramref name="i"/>-th row fitted on.</summary>
    public int RowAt(int i) => Rows.IsEmpty ? i : Rows.Span[i];

    /// <summary>The weight of row <paramref name="row"/> (1 when there are no weights).</summary>
    public double WeightOf(int row) => Weights.IsEmpty ? 1.0 : Weights.Span[row];

    /// <summary>The fitted rows as an array (a copy).</summary>
    public int[] RowIndices() => Rows.IsEmpty ? Enumerable.Range(0, Features.RowCount).ToArray() : Rows.ToArray();
}
