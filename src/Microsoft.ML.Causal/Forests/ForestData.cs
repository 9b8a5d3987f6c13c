using Microsoft.ML.Causal.Learners.Trees;

namespace Microsoft.ML.Causal.Forests;

/// <summary>
/// What the forest engine grows on, indexed by row of the feature matrix: the binned features, the outcome, the
/// treatment (one column for a causal forest, <see cref="TreatmentCount"/> row-major columns for several arms;
/// already centered when the caller centers), and the sample weights (null: all 1).
/// </summary>
internal sealed class ForestData
{
    public ForestData(BinnedMatrix binned, double[] outcome, double[]? treatment, int treatmentCount, double[]? weights)
    {
        Binned = binned;
        Outcome = outcome;
        Treatment = treatment;
        TreatmentCount = treatment is null ? 0 : treatmentCount;
        Weights = weights;
    }

    public BinnedMatrix Binned { get; }

    public double[] Outcome { get; }

    /// <summary>Row-major n × <see cref="TreatmentCount"/> treatments (null for a regression forest).</summary>
    public double[]? Treatment { get; }

    public int TreatmentCount { get; }

    public double[]? Weights { get; }

    public int RowCount => Binned.RowCount;

    public int FeatureCount => Binned.FeatureCount;

    public double WeightOf(int row) => Weights is null ? 1.0 : Weights[row];
}
