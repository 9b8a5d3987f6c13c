using Microsoft.ML.Causal.Data;

namespace Microsoft.ML.Causal.Learners;

/// <summary>
/// A learner as a pipeline estimator: reads a label column, a Vector&lt;Double&gt; feature column and an
/// optional weight column, fits, and returns a scoring transformer. Subclasses name the learner, the columns
/// they add and how a fitted model becomes a transformer.
/// </summary>
/// <typeparam name="TTransformer">The scoring transformer type.</typeparam>
public abstract class LearnerTrainer<TTransformer> : ICausalEstimator<TTransformer>
    where TTransformer : class, ICausalTransformer
{
    /// <summary>Stores the column roles and the seed.</summary>
    /// <param name="labelColumnName">The label column (numeric scalar).</param>
    /// <param name="featureColumnName">The feature vector column.</param>
    /// <param name="weightColumnName">An optional non-negative weight column.</param>
    /// <param name="seed">The seed passed to the learner's fits (its own <c>Seed</c> option wins).</param>
    /// <param name="context">A context whose log receives the fit's progress (every tenth), or null.</param>
    protected LearnerTrainer(string labelColumnName, string featureColumnName, string? weightColumnName, int seed, CausalContext? context)
    {
        ArgumentException.ThrowIfNullOrEmpty(labelColumnName);
        ArgumentException.ThrowIfNullOrEmpty(featureColumnName);
        LabelColumnName = labelColumnName;
        FeatureColumnName = featureColumnName;
        WeightColumnName = weightColumnName;
        Seed = seed;
        Context = context;
    }

    /// <summary>The label column.</summary>
    public string LabelColumnName { get; }

    /// <summary>The feature vector column.</summary>
    public string FeatureColumnName { get; }

    /// <summary>The weight column, if any.</summary>
    public string? WeightColumnName { get; }

    /// <summary>The seed of the fit.</summary>
    public int Seed { get; }

    /// <summary>The context whose log receives progress, if any.</summary>
    public CausalContext? Context { get; }

    /// <summary>The learner's name, for error messages.</summary>
    protected abstract string LearnerName { get; }

    /// <summary>The columns the scoring transformer adds.</summary>
    protected abstract IEnumerable<ColumnDefinition> OutputColumns { get; }

    /// <summary>Fits the learner and wraps the model.</summary>
    protected abstract TTransformer FitCore(TrainingSet data, FitContext context);

    /// <inheritdoc />
    public DataSchema GetOutputSchema(DataSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        LearnerColumns.CheckSchema(inputSchema, LearnerName, LabelColumnName, FeatureColumnName, WeightColumnName);
        return inputSchema.WithColumns(OutputColumns);
    }

    /// <inheritdoc />
    public TTransformer Fit(ICausalDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var data = LearnerColumns.Read(input, LearnerName, LabelColumnName, FeatureColumnName, WeightColumnName);
        return FitCore(data, new FitContext { Seed = Seed, Progress = Context is null ? null : new LogProgress(Context) });
    }
}
