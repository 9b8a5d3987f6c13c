using Microsoft.ML.Causal.Data;

namespace Microsoft.ML.Causal;

/// <summary>Maps one row of <see cref="InputSchema"/> to one row of <see cref="OutputSchema"/>; thread-safe.</summary>
public interface ICausalRowMapper
{
    /// <summary>The schema of the rows this mapper reads.</summary>
    DataSchema InputSchema { get; }

    /// <summary>The schema of the rows it writes: the input columns and the added ones.</summary>
    DataSchema OutputSchema { get; }

    /// <summary>
    /// Fills <paramref name="output"/> (of <see cref="OutputSchema"/>) from <paramref name="input"/> (of
    /// <see cref="InputSchema"/>). The mapper holds no state between calls, so several threads may call it
    /// at once with rows of their own.
    /// </summary>
    void Map(CausalRow input, CausalRow output);
}
