using Microsoft.ML.Causal.Data;

namespace Microsoft.ML.Causal;

/// <summary>
/// An untrained component: <see cref="Fit"/> learns from data and returns an immutable transformer.
/// Estimators hold only their options; <see cref="Fit"/> never changes the estimator or the data, and two
/// fits on the same data with the same seed give the same transformer.
/// </summary>
/// <typeparam name="TTransformer">The type of the fitted transformer.</typeparam>
public interface ICausalEstimator<out TTransformer>
    where TTransformer : class, ICausalTransformer
{
    /// <summary>Learns from <paramref name="input"/> and returns the fitted transformer.</summary>
    /// <exception cref="SchemaMismatchException">A needed column is missing or of the wrong type.</exception>
    /// <exception cref="DataValidationException">The values cannot be used (no rows, NaN where not allowed, …).</exception>
    TTransformer Fit(ICausalDataView input);

    /// <summary>
    /// The schema the fitted transformer will produce from data of <paramref name="inputSchema"/>, computed
    /// without training. Vector sizes and key values learned from data are left open (size 0, no values).
    /// </summary>
    /// <exception cref="SchemaMismatchException">A needed column is missing or of the wrong type.</exception>
    DataSchema GetOutputSchema(DataSchema inputSchema);
}
