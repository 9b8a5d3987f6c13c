using Microsoft.ML.Causal.Learners;

namespace Microsoft.ML.Causal.Trainers;

/// <summary>
/// The data of a CATE or ATE fit on plain arrays: features, outcome, treatment, and optionally row weights,
/// cluster ids (for cluster-robust standard errors) and known propensities. Rows are those of
/// <see cref="Features"/>; <see cref="Rows"/> restricts the fit to a subset without copying.
/// </summary>
/// <param name="Features">The covariates X (NaN allowed where the learners accept it).</param>
/// <param name="Outcome">The outcome Y of every row of <paramref name="Features"/>.</param>
/// <param name="Treatment">The treatment of every row.</param>
public sealed record CateData(FeatureMatrix Features, ReadOnlyMemory<double> Outcome, TreatmentAssignment Treatment)
{
    /// <summary>Non-negative row weights (empty: all 1).</summary>
    public ReadOnlyMemory<double> Weights { get; init; }

    /// <summary>Cluster id of every row (empty: every row its own cluster); standard errors are cluster-robust.</summary>
    public ReadOnlyMemory<int> Clusters { get; init; }

    /// <summary>Known P(treated | x) of every row, for a binary treatment (empty: learned or a constant from the options).</summary>
    public ReadOnlyMemory<double> Propensity { get; init; }

    /// <summary>The rows to fit on (empty: all).</summary>
    public ReadOnlyMemory<int> Rows { get; init; }

    /// <summary>The outcome column's name, for messages.</summary>
    public string OutcomeColumnName { get; init; } = "Outcome";

    /// <summary>The weight column's name, for messages.</summary>
    public string WeightColumnName { get; init; } = "Weight";

    /// <summary>The propensity column's name, for messages.</summary>
    public string PropensityColumnName { get; init; } = "Propensity";

    /// <summary>Number of rows fitted on.</summary>
    public int Count => Rows.IsEmpty ? Features.RowCount : Rows.Length;

    /// <summary>The rows fitted on, as indices into <see cref="Features"/>.</summary>
    public int[] RowIndices() => Rows.IsEmpty ? Enumerable.Range(0, Features.RowCount).ToArray() : Rows.ToArray();

    /// <summary>The weight of row <paramref name="row"/> (1 without weights).</summary>
    public double WeightOf(int row) => Weights.IsEmpty ? 1.0 : Weights.Span[row];

    /// <summary>The cluster ids of <paramref name="rows"/> in that order (empty without clusters).</summary>
    internal int[] ClustersOf(int[] rows)
    {
        if (Clusters.IsEmpty)
            return [];
        var ids = Clusters.Span;
        var result = new int[rows.Length];
        for (var i = 0; i < rows.Length; i++)
            result[i] = ids[rows[i]];
        return result;
    }

    /// <summary>
    /// Checks lengths, finite outcomes and weights, propensities strictly between 0 and 1, and that every effect
    /// has rows in both its arms; the first problem raises an error naming the column and row.
    /// </summary>
    internal void Validate(string component)
    {
        var n = Features.RowCount;
        if (Count == 0)
            throw DataValidationException.Empty(component, OutcomeColumnName);
        if (Outcome.Length != n || Treatment.RowCount != n)
            throw new ArgumentException($"{component}: {Features.RowCount} feature rows, {Outcome.Length} outcomes and {Treatment.RowCount} treatments; they must match.");
        if (!Weights.IsEmpty && Weights.Length != n)
            throw new ArgumentException($"{component}: {Weights.Length} weights for {n} rows.");
        if (!Clusters.IsEmpty && Clusters.Length != n)
            throw new ArgumentException($"{component}: {Clusters.Length} cluster ids for {n} rows.");
        if (!Propensity.IsEmpty && (Propensity.Length != n || Treatment.IsContinuous || Treatment.ArmNames.Length != 2))
            throw new ArgumentException($"{component}: known propensities need a binary treatment and one value per row ({Propensity.Length} for {n} rows).");
        var y = Outcome.Span;
        var w = Weights.Span;
        var e = Propensity.Span;
        foreach (var r in RowIndices())
        {
            if ((uint)r >= (uint)n)
                throw new ArgumentOutOfRangeException(nameof(Rows), $"{component}: row index {r} is outside 0 … {n - 1}.");
            if (!double.IsFinite(y[r]))
                throw DataValidationException.NotFinite(component, OutcomeColumnName, r, y[r], "Every row fitted on needs a finite outcome; remove the row or fill it in.");
            if (!w.IsEmpty && (!double.IsFinite(w[r]) || w[r] < 0))
                throw new DataValidationException(component, WeightColumnName, r, $"the weight is {w[r]}; weights must be finite and non-negative.", "Fix the weight or leave the row out.");
            if (!e.IsEmpty && !(e[r] > 0 && e[r] < 1))
                throw new DataValidationException(component, PropensityColumnName, r, $"the propensity is {e[r]}; it must lie strictly between 0 and 1.", "Fix the propensity, or let the estimator learn it.");
        }
        if (!Treatment.IsContinuous)
        {
            var counts = new int[Treatment.ArmNames.Length];
            var arms = Treatment.Arms;
            foreach (var r in RowIndices())
                counts[arms[r]]++;
            for (var a = 0; a < counts.Length; a++)
            {
                if (counts[a] == 0)
                {
                    throw new DataValidationException(component, Treatment.ColumnName, null,
                        $"arm '{Treatment.ArmNames[a]}' has no rows among those fitted on, so its effect cannot be estimated.", "Fit on rows from every arm, or drop the arm.");
                }
            }
        }
    }

    /// <summary>Throws unless every arm has at least <paramref name="minimum"/> rows among those fitted on; <paramref name="why"/> says what needs them.</summary>
    internal void RequireRowsPerArm(string component, int minimum, string why)
    {
        var counts = new int[Treatment.ArmNames.Length];
        var arms = Treatment.Arms;
        foreach (var r in RowIndices())
            counts[arms[r]]++;
        for (var a = 0; a < counts.Length; a++)
        {
            if (counts[a] < minimum)
            {
                throw new DataValidationException(component, Treatment.ColumnName, null,
                    $"arm '{Treatment.ArmNames[a]}' has {counts[a]} rows; {why} needs at least {minimum}.",
                    "Pass more rows of that arm, merge it with another, or use fewer folds.");
            }
        }
    }
}
