using Microsoft.ML.Causal.Data;

namespace Microsoft.ML.Causal;

/// <summary>
/// Scores one <see cref="CausalRow"/> at a time through a fitted transformer. Thread-safe: the model and its
/// mapper are immutable, and every call works in rows of its own.
/// </summary>
public sealed class CausalRowEngine
{
    private readonly ICausalRowMapper _mapper;

    /// <summary>Creates an engine that scores rows of <paramref name="inputSchema"/> with <paramref name="model"/>.</summary>
    /// <exception cref="SchemaMismatchException">The model cannot score rows of that schema.</exception>
    public CausalRowEngine(ICausalTransformer model, DataSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(inputSchema);
        _mapper = model.GetRowMapper(inputSchema);
    }

    /// <summary>The schema of input rows.</summary>
    public DataSchema InputSchema => _mapper.InputSchema;

    /// <summary>The schema of output rows.</summary>
    public DataSchema OutputSchema => _mapper.OutputSchema;

    /// <summary>A new, empty input row to fill.</summary>
    public CausalRow CreateInputRow() => new(InputSchema);

    /// <summary>Scores <paramref name="input"/> and returns a new output row.</summary>
    public CausalRow Predict(CausalRow input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (!ReferenceEquals(input.Schema, InputSchema) && !input.Schema.Equals(InputSchema))
            throw new ArgumentException("The row's schema is not the engine's input schema; create it with CreateInputRow().", nameof(input));
        var output = new CausalRow(OutputSchema);
        _mapper.Map(input, output);
        return output;
    }
}
