using Microsoft.ML.Causal.Data;

namespace Microsoft.ML.Causal.TestFramework;

/// <summary>What <see cref="EstimatorConformance"/> needs to check one estimator.</summary>
/// <typeparam name="TTransformer">The estimator's transformer type.</typeparam>
public sealed class ConformanceCase<TTransformer> where TTransformer : class, ICausalTransformer
{
    /// <summary>Creates the estimator from a context (so seeds flow from the context, as in user code).</summary>
    public required Func<CausalContext, ICausalEstimator<TTransformer>> Create { get; init; }

    /// <summary>Data to fit on.</summary>
    public required ICausalDataView TrainData { get; init; }

    /// <summary>Data to score (default: the training data).</summary>
    public ICausalDataView? ScoringData { get; init; }

    /// <summary>Inputs whose schema must be rejected, each with the column the error must name.</summary>
    public IReadOnlyList<(ICausalDataView Data, string Column)> BadSchemas { get; init; } = [];

    /// <summary>Columns only fitting reads (labels, weights): a fitted transformer scores data without them.</summary>
    public IReadOnlyList<string> TrainingOnlyColumns { get; init; } = [];

    /// <summary>Inputs whose values must be rejected at fitting (NaN/∞ where not allowed), each with the column the error must name.</summary>
    public IReadOnlyList<(ICausalDataView Data, string Column)> BadValues { get; init; } = [];

    /// <summary>
    /// Whether fitting on zero rows must raise <see cref="DataValidationException"/> (true for anything that
    /// learns from data; false for schema-only steps such as concatenation).
    /// </summary>
    public bool RejectsEmptyInput { get; init; } = true;

    /// <summary>A description of the estimator's settings, compared before and after <c>Fit</c> (default: <c>ToString()</c> of its public properties).</summary>
    public Func<ICausalEstimator<TTransformer>, string>? DescribeSettings { get; init; }
}
