using Microsoft.ML.Causal.Data;
using Microsoft.ML.Causal.Persistence;

namespace Microsoft.ML.Causal;

/// <summary>
/// A fitted, immutable component that adds columns to data. It is savable, and it scores single rows through
/// a row mapper; every member is safe to call from several threads at once.
/// </summary>
public interface ICausalTransformer : ISavableModel
{
    /// <summary>The schema produced from data of <paramref name="inputSchema"/>.</summary>
    /// <exception cref="SchemaMismatchException">A needed column is missing or of the wrong type.</exception>
    DataSchema GetOutputSchema(DataSchema inputSchema);

    /// <summary>
    /// Returns <paramref name="input"/> with this transformer's columns added (a column of the same name is
    /// replaced). Input columns are shared with the result, not copied.
    /// </summary>
    ICausalDataView Transform(ICausalDataView input);

    /// <summary>A mapper that computes this transformer's output for one row of <paramref name="inputSchema"/> at a time.</summary>
    ICausalRowMapper GetRowMapper(DataSchema inputSchema);
}
