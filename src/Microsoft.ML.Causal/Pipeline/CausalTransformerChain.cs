using System.Collections.Immutable;
using System.Reflection;
using Microsoft.ML.Causal.Data;
using Microsoft.ML.Causal.Persistence;

namespace Microsoft.ML.Causal;

/// <summary>
/// An immutable sequence of fitted transformers, applied in order. Saved as one component whose payload lists
/// its steps; <see cref="LastTransformer"/> keeps its static type across save and load.
/// </summary>
/// <typeparam name="TLast">The type of the last transformer.</typeparam>
public sealed class CausalTransformerChain<TLast> : ICausalTransformer, ITransformerSequence
    where TLast : class, ICausalTransformer
{
    /// <summary>Creates a chain from transformers; the last must be a <typeparamref name="TLast"/>.</summary>
    public CausalTransformerChain(IEnumerable<ICausalTransformer> transformers)
    {
        ArgumentNullException.ThrowIfNull(transformers);
        Transformers = transformers.ToImmutableArray();
        if (Transformers.Any(t => t is null))
            throw new ArgumentException("A transformer in the chain is null.", nameof(transformers));
        if (Transformers.Length > 0 && Transformers[^1] is not TLast)
            throw new ArgumentException($"The last transformer is a {Transformers[^1].GetType().Name}, not a {typeof(TLast).Name}.", nameof(transformers));
    }

    /// <summary>The transformers, in order.</summary>
    public ImmutableArray<ICausalTransformer> Transformers { get; }

    /// <summary>The last transformer.</summary>
    /// <exception cref="InvalidOperationException">The chain is empty.</exception>
    public TLast LastTransformer => Transformers.Length > 0
        ? (TLast)Transformers[^1]
        : throw new InvalidOperationException("The chain is empty; it has no last transformer.");

    /// <summary>A new chain with <paramref name="transformer"/> appended; this chain is unchanged.</summary>
    public CausalTransformerChain<TNew> Append<TNew>(TNew transformer)
        where TNew : class, ICausalTransformer
    {
        ArgumentNullException.ThrowIfNull(transformer);
        return new CausalTransformerChain<TNew>(Transformers.Add(transformer));
    }

    /// <inheritdoc />
    public string ComponentName => ChainLoader.Name;

    /// <inheritdoc />
    public int ComponentVersion => ChainLoader.Version;

    /// <inheritdoc />
    public DataSchema GetOutputSchema(DataSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        var schema = inputSchema;
        for (var i = 0; i < Transformers.Length; i++)
        {
            var s = schema;
            schema = CausalEstimatorChain<TLast>.AtStep(i, Transformers[i], () => Transformers[i].GetOutputSchema(s));
        }
        return schema;
    }

    /// <inheritdoc />
    public ICausalDataView Transform(ICausalDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        GetOutputSchema(input.Schema);
        var current = input;
        for (var i = 0; i < Transformers.Length; i++)
        {
            var c = current;
            current = CausalEstimatorChain<TLast>.AtStep(i, Transformers[i], () => Transformers[i].Transform(c));
        }
        return current;
    }

    /// <inheritdoc />
    public ICausalRowMapper GetRowMapper(DataSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        var mappers = new ICausalRowMapper[Transformers.Length];
        var schema = inputSchema;
        for (var i = 0; i < Transformers.Length; i++)
        {
            var s = schema;
            mappers[i] = CausalEstimatorChain<TLast>.AtStep(i, Transformers[i], () => Transformers[i].GetRowMapper(s));
            schema = mappers[i].OutputSchema;
        }
        return new ChainMapper(inputSchema, mappers);
    }

    /// <inheritdoc />
    public void Save(IModelWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteInt32(Transformers.Length);
        foreach (var t in Transformers)
            writer.WriteModel(t);
    }

    private sealed class ChainMapper(DataSchema inputSchema, ICausalRowMapper[] mappers) : ICausalRowMapper
    {
        public DataSchema InputSchema => inputSchema;

        public DataSchema OutputSchema => mappers.Length == 0 ? inputSchema : mappers[^1].OutputSchema;

        public void Map(CausalRow input, CausalRow output)
        {
            if (mappers.Length == 0)
            {
                for (var c = 0; c < inputSchema.Count; c++)
                    output.CopyFrom(input, c, c);
                return;
            }
            var current = input;
            for (var i = 0; i < mappers.Length; i++)
            {
                var next = i == mappers.Length - 1 ? output : new CausalRow(mappers[i].OutputSchema);
                mappers[i].Map(current, next);
                current = next;
            }
        }
    }
}

/// <summary>A chain seen without its type argument.</summary>
internal interface ITransformerSequence
{
    ImmutableArray<ICausalTransformer> Transformers { get; }
}

/// <summary>Persistence of <see cref="CausalTransformerChain{TLast}"/>.</summary>
internal static class ChainLoader
{
    public const string Name = "TransformerChain";
    public const int Version = 1;

    public static ICausalTransformer Load(IModelReader reader)
    {
        var count = reader.ReadInt32();
        if (count < 0 || count > 100_000)
            throw new ModelFileException($"The transformer chain claims {count} steps.");
        var steps = new List<ICausalTransformer>(count);
        for (var i = 0; i < count; i++)
            steps.Add(reader.ReadModel<ICausalTransformer>());
        var last = count == 0 ? typeof(ICausalTransformer) : steps[^1].GetType();
        return Rebind(steps, last);
    }

    /// <summary>Builds a chain typed by <paramref name="lastType"/> (a type of the library or the caller, never one named in a file).</summary>
    public static ICausalTransformer Rebind(IEnumerable<ICausalTransformer> steps, Type lastType)
    {
        var method = typeof(ChainLoader).GetMethod(nameof(Create), BindingFlags.NonPublic | BindingFlags.Static)!.MakeGenericMethod(lastType);
        return (ICausalTransformer)method.Invoke(null, [steps])!;
    }

    private static ICausalTransformer Create<TLast>(IEnumerable<ICausalTransformer> steps)
        where TLast : class, ICausalTransformer => new CausalTransformerChain<TLast>(steps);
}
