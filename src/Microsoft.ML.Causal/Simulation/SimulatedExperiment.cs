using Microsoft.ML.Causal.Data;
using Microsoft.ML.Causal.Learners;
using Microsoft.ML.Causal.Trainers;

namespace Microsoft.ML.Causal.Simulation;

/// <summary>
/// A simulated data set with its truth: covariates X (n × d, row-major), binary treatment W, outcome Y, and per
/// row the true effect τ(x), propensity e(x) and baseline b(x) (the outcome's mean apart from the treatment term).
/// </summary>
public sealed class SimulatedExperiment
{
    internal SimulatedExperiment(string design, int rows, int dimensions, double[] features, double[] treatment, double[] outcome, double[] effect, double[] propensity, double[] baseline)
    {
        Design = design;
        RowCount = rows;
        Dimensions = dimensions;
        Features = features;
        Treatment = treatment;
        Outcome = outcome;
        Effect = effect;
        Propensity = propensity;
        Baseline = baseline;
    }

    /// <summary>The design's name, e.g. "Nie–Wager A".</summary>
    public string Design { get; }

    /// <summary>n.</summary>
    public int RowCount { get; }

    /// <summary>d.</summary>
    public int Dimensions { get; }

    /// <summary>X, row after row (n·d values).</summary>
    public IReadOnlyList<double> Features { get; }

    /// <summary>W ∈ {0, 1}.</summary>
    public IReadOnlyList<double> Treatment { get; }

    /// <summary>Y.</summary>
    public IReadOnlyList<double> Outcome { get; }

    /// <summary>The true τ(xᵢ).</summary>
    public IReadOnlyList<double> Effect { get; }

    /// <summary>The true e(xᵢ) = P(W = 1 | xᵢ).</summary>
    public IReadOnlyList<double> Propensity { get; }

    /// <summary>The true b(xᵢ).</summary>
    public IReadOnlyList<double> Baseline { get; }

    /// <summary>The features as a matrix with columns x1 … xd.</summary>
    public FeatureMatrix ToFeatureMatrix() =>
        new(((double[])Features).AsSpan(), RowCount, Dimensions, Enumerable.Range(1, Dimensions).Select(j => $"x{j}"));

    /// <summary>The data for a CATE fit: X, Y and W (arms "0" and "1", control "0").</summary>
    public CateData ToCateData() =>
        new(ToFeatureMatrix(), (double[])Outcome, TreatmentAssignment.FromValues((double[])Treatment, 0, "W")) { OutcomeColumnName = "Y" };

    /// <summary>
    /// The data as a table: Double columns x1 … xd, W (0/1), Y, and the truth TrueEffect (τ(x)) and TruePropensity
    /// (e(x)) — leave the last two out of the features.
    /// </summary>
    public InMemoryDataView ToDataView()
    {
        var builder = new InMemoryDataView.Builder()
            .AddDoubleColumns([.. Enumerable.Range(1, Dimensions).Select(j => $"x{j}")], (double[])Features);
        return builder.AddDouble("W", [.. Treatment]).AddDouble("Y", [.. Outcome])
            .AddDouble("TrueEffect", [.. Effect]).AddDouble("TruePropensity", [.. Propensity]).Build();
    }
}
