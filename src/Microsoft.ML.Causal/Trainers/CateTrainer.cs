using Microsoft.ML.Causal.Data;
using Microsoft.ML.Causal.Learners;

namespace Microsoft.ML.Causal.Trainers;

/// <summary>
/// Any CATE estimator (<see cref="ICateLearner"/>) as a pipeline estimator: reads the <see cref="CateColumns"/>,
/// fits, and returns a <see cref="CateTransformer"/> that adds <c>Cate</c>, <c>CateLower</c> and <c>CateUpper</c> (and
/// <c>CateVariance</c> for models that estimate the variance of τ̂(x), the causal forests).
/// Create it from <c>ctx.Cate.Trainers</c>.
/// </summary>
public sealed class CateTrainer : ICausalEstimator<CateTransformer>
{
    /// <summary>Creates the trainer.</summary>
    /// <param name="learner">The CATE estimator to fit.</param>
    /// <param name="columns">The columns read and the treatment's kind.</param>
    /// <param name="seed">The seed of the fit (the estimator's own <c>Seed</c> option wins).</param>
    /// <param name="context">A context whose log receives progress and warnings (e.g. poor overlap), or null.</param>
    /// <param name="level">The level of the intervals the transformer adds (default 0.95; change it later with <see cref="CateTransformer.WithLevel"/>).</param>
    /// <param name="maxDegreeOfParallelism">Most threads to use; 0 means all cores. Results never depend on it.</param>
    public CateTrainer(ICateLearner learner, CateColumns columns, int seed = 0, CausalContext? context = null, double level = 0.95, int maxDegreeOfParallelism = 0)
    {
        ArgumentNullException.ThrowIfNull(learner);
        ArgumentNullException.ThrowIfNull(columns);
        Inference.AverageEffect.Quantile(level);
        ArgumentOutOfRangeException.ThrowIfNegative(maxDegreeOfParallelism);
        if (columns.TreatmentKind == TreatmentKind.Continuous && !learner.SupportsContinuous)
        {
            throw new ArgumentException(
                $"The {learner.Method} learner needs discrete arms; for a continuous treatment use LinearDml or SparseLinearDml.", nameof(columns));
        }
        Learner = learner;
        Columns = columns;
        Seed = seed;
        Context = context;
        Level = level;
        MaxDegreeOfParallelism = maxDegreeOfParallelism;
    }

    /// <summary>The CATE estimator.</summary>
    public ICateLearner Learner { get; }

    /// <summary>The columns read.</summary>
    public CateColumns Columns { get; }

    /// <summary>The seed of the fit.</summary>
    public int Seed { get; }

    /// <summary>The context whose log receives progress and warnings, if any.</summary>
    public CausalContext? Context { get; }

    /// <summary>The level of the intervals.</summary>
    public double Level { get; }

    /// <summary>Most threads to use (0: all cores).</summary>
    public int MaxDegreeOfParallelism { get; }

    private string Component => $"{Learner.Method} CATE trainer";

    /// <inheritdoc />
    public DataSchema GetOutputSchema(DataSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        var effects = CateColumnReader.CheckSchema(inputSchema, Component, Columns);
        return inputSchema.WithColumns(CateTransformer.OutputColumns(Columns.TreatmentKind, effects, Learner.ProducesIntervals, Learner.ProducesVariance));
    }

    /// <inheritdoc />
    public CateTransformer Fit(ICausalDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var data = CateColumnReader.Read(input, Component, Columns);
        var context = new FitContext
        {
            Seed = Seed,
            MaxDegreeOfParallelism = MaxDegreeOfParallelism,
            Progress = Context is null ? null : new LogProgress(Context),
            Log = Context is null ? null : Context.WriteLog,
        };
        var model = Learner.Fit(data, context);
        return new CateTransformer(model, Columns.Features, Columns.TreatmentKind, Level);
    }
}
