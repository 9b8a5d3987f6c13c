using Microsoft.ML.Causal.Data;
using Microsoft.ML.Causal.Persistence;

namespace Microsoft.ML.Causal;

/// <summary>Saving, loading and scoring models: <c>ctx.Model</c>.</summary>
public sealed class CausalModelCatalog
{
    internal CausalModelCatalog(CausalContext context) => Context = context;

    /// <summary>The context this catalog belongs to.</summary>
    public CausalContext Context { get; }

    /// <summary>Saves <paramref name="model"/> and the schema of the data it scores to a zip file (see <see cref="ModelArchive"/>).</summary>
    public void Save(ICausalTransformer model, DataSchema inputSchema, string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var buffer = new MemoryStream();
        Save(model, inputSchema, buffer);
        File.WriteAllBytes(path, buffer.ToArray());
    }

    /// <summary>Saves <paramref name="model"/> and the schema of the data it scores to <paramref name="stream"/> (left open).</summary>
    public void Save(ICausalTransformer model, DataSchema inputSchema, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(inputSchema);
        model.GetOutputSchema(inputSchema); // the model must be able to score the schema it is saved with
        ModelArchive.Save(model, inputSchema, stream, Context.Seed);
    }

    /// <summary>Loads a model saved by <see cref="Save(ICausalTransformer, DataSchema, string)"/>, as its exact type.</summary>
    /// <typeparam name="T">The model's type, e.g. <c>CausalTransformerChain&lt;OneHotTransformer&gt;</c>, or <see cref="ICausalTransformer"/>.</typeparam>
    /// <exception cref="ModelFileException">The file is truncated, altered, foreign, newer, names an unregistered component, or holds another type.</exception>
    public T Load<T>(string path, out DataSchema inputSchema) where T : class, ICausalTransformer
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = File.OpenRead(path);
        return Load<T>(stream, out inputSchema);
    }

    /// <summary>Loads a model from <paramref name="stream"/>, as its exact type.</summary>
    /// <exception cref="ModelFileException">The data are truncated, altered, foreign, newer, name an unregistered component, or hold another type.</exception>
    public T Load<T>(Stream stream, out DataSchema inputSchema) where T : class, ICausalTransformer
    {
        var model = ModelArchive.Load(stream, out inputSchema);
        if (model is T typed)
            return typed;
        // A chain saved with a less specific static type (e.g. CausalTransformerChain<ICausalTransformer>) loads
        // as the most specific one; rebind it to the type the caller asks for.
        if (model is ICausalTransformer transformer && TryRebindChain(transformer, typeof(T), out var rebound))
            return (T)rebound;
        throw new ModelFileException($"The model file holds a {model.GetType().Name}, not a {typeof(T).Name}.");
    }

    /// <summary>A thread-safe engine that scores single <typeparamref name="TIn"/> objects into <typeparamref name="TOut"/> objects.</summary>
    /// <exception cref="SchemaMismatchException">The model cannot score <typeparamref name="TIn"/>, or an output property has no column.</exception>
    public CausalPredictionEngine<TIn, TOut> CreatePredictionEngine<TIn, TOut>(ICausalTransformer model)
        where TIn : class
        where TOut : class, new() => new(model);

    /// <summary>A thread-safe engine that scores <see cref="CausalRow"/>s of <paramref name="inputSchema"/>.</summary>
    public CausalRowEngine CreateRowEngine(ICausalTransformer model, DataSchema inputSchema) => new(model, inputSchema);

    private static bool TryRebindChain(ICausalTransformer model, Type target, out ICausalTransformer rebound)
    {
        rebound = model;
        if (model is not ITransformerSequence chain || !target.IsGenericType || target.GetGenericTypeDefinition() != typeof(CausalTransformerChain<>))
            return false;
        var last = target.GetGenericArguments()[0];
        if (chain.Transformers.Length > 0 && !last.IsInstanceOfType(chain.Transformers[^1]))
            return false;
        rebound = ChainLoader.Rebind(chain.Transformers, last);
        return true;
    }
}
