using Microsoft.ML.Causal.Data;

namespace Microsoft.ML.Causal;

/// <summary>
/// Scores single objects: reads the public properties of a <typeparamref name="TIn"/>, runs the model, and fills
/// the settable properties of a new <typeparamref name="TOut"/> from the output columns of the same names.
/// Unlike ML.NET's engine, this one is thread-safe: share one instance across threads.
/// </summary>
/// <typeparam name="TIn">The input type; its properties name the input columns (see <see cref="CausalColumnAttribute"/>).</typeparam>
/// <typeparam name="TOut">The output type; each settable property needs an output column.</typeparam>
public sealed class CausalPredictionEngine<TIn, TOut>
    where TIn : class
    where TOut : class, new()
{
    private readonly CausalRowEngine _engine;
    private readonly PocoBinding<TIn> _input;
    private readonly int[] _inputColumns;
    private readonly Action<CausalRow, TOut>[] _setters;

    internal CausalPredictionEngine(ICausalTransformer model)
    {
        ArgumentNullException.ThrowIfNull(model);
        _input = PocoBinding<TIn>.ForReading();
        var schema = _input.Schema();
        _inputColumns = Enumerable.Range(0, schema.Count).ToArray();
        _engine = new CausalRowEngine(model, schema);
        _setters = PocoBinding<TOut>.ForWriting().Setters(_engine.OutputSchema, $"{nameof(CausalPredictionEngine<TIn, TOut>)}<{typeof(TIn).Name}, {typeof(TOut).Name}>");
    }

    /// <summary>The schema of the model's output.</summary>
    public DataSchema OutputSchema => _engine.OutputSchema;

    /// <summary>Scores <paramref name="example"/>.</summary>
    public TOut Predict(TIn example)
    {
        ArgumentNullException.ThrowIfNull(example);
        var row = _engine.CreateInputRow();
        _input.Fill(example, row, _inputColumns);
        var output = _engine.Predict(row);
        var result = new TOut();
        foreach (var set in _setters)
            set(output, result);
        return result;
    }
}
