using System.Collections.Immutable;
using Microsoft.ML.Causal.Data;

namespace Microsoft.ML.Causal;

/// <summary>
/// An immutable sequence of estimators. <see cref="Append{TNew}"/> returns a new chain whose type names the new
/// last step, so <see cref="CausalTransformerChain{TLast}.LastTransformer"/> of the fitted chain is strongly typed.
/// </summary>
/// <typeparam name="TLast">The transformer type of the last estimator.</typeparam>
public sealed class CausalEstimatorChain<TLast> : ICausalEstimator<CausalTransformerChain<TLast>>
    where TLast : class, ICausalTransformer
{
    /// <summary>An empty chain; append estimators to it.</summary>
    public CausalEstimatorChain()
        : this(ImmutableArray<ICausalEstimator<ICausalTransformer>>.Empty)
    {
    }

    internal CausalEstimatorChain(ImmutableArray<ICausalEstimator<ICausalTransformer>> estimators) => Estimators = estimators;

    /// <summary>The estimators, in order.</summary>
    public ImmutableArray<ICausalEstimator<ICausalTransformer>> Estimators { get; }

    /// <summary>A new chain with <paramref name="estimator"/> appended; this chain is unchanged.</summary>
    public CausalEstimatorChain<TNew> Append<TNew>(ICausalEstimator<TNew> estimator)
        where TNew : class, ICausalTransformer
    {
        ArgumentNullException.ThrowIfNull(estimator);
        return new CausalEstimatorChain<TNew>(Estimators.Add(estimator));
    }

    /// <summary>Fits each estimator on the output of the transformers fitted before it.</summary>
    /// <exception cref="SchemaMismatchException">A step's columns are missing or mistyped; the message names the step.</exception>
    public CausalTransformerChain<TLast> Fit(ICausalDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        GetOutputSchema(input.Schema); // fail before any training
        var transformers = ImmutableArray.CreateBuilder<ICausalTransformer>(Estimators.Length);
        var current = input;
        for (var i = 0; i < Estimators.Length; i++)
        {
            var transformer = AtStep(i, Estimators[i], () => Estimators[i].Fit(current));
            transformers.Add(transformer);
            if (i + 1 < Estimators.Length)
                current = AtStep(i, Estimators[i], () => transformer.Transform(current));
        }
        return new CausalTransformerChain<TLast>(transformers.MoveToImmutable());
    }

    /// <inheritdoc />
    public DataSchema GetOutputSchema(DataSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        var schema = inputSchema;
        for (var i = 0; i < Estimators.Length; i++)
        {
            var s = schema;
            schema = AtStep(i, Estimators[i], () => Estimators[i].GetOutputSchema(s));
        }
        return schema;
    }

    internal static T AtStep<T>(int step, object component, Func<T> action)
    {
        try
        {
            return action();
        }
        catch (SchemaMismatchException e)
        {
            throw e.AtStep(step, component.GetType().Name);
        }
    }
}
