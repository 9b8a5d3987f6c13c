using Microsoft.ML.Causal.Data;

namespace Microsoft.ML.Causal.Segmentation.GroupLasso;

/// <summary>
/// Group-lasso segment discovery from a multi-creative experiment as a pipeline estimator: reads the response,
/// segment, creative, feature and optional weight columns of <see cref="GroupLassoTrainerOptions"/>, fits
/// <see cref="GroupLassoSegmenter"/> (at a fixed λ, or with (α, λ) chosen by cross-validation) and returns a
/// <see cref="GroupLassoTransformer"/> that adds <c>Segment</c> and <c>SegmentScores</c>. Create it with
/// <c>ctx.Segmentation.GroupLasso</c>.
/// </summary>
public sealed class GroupLassoTrainer : ICausalEstimator<GroupLassoTransformer>
{
    private const string Component = "GroupLasso trainer";

    /// <summary>Creates the trainer.</summary>
    /// <param name="options">The columns, the penalty and the solver's options.</param>
    /// <param name="seed">The seed of the cross-validation folds when <see cref="GroupLassoTrainerOptions.Seed"/> is null.</param>
    /// <exception cref="ArgumentException">A column name is empty, or λ or α is out of range.</exception>
    public GroupLassoTrainer(GroupLassoTrainerOptions options, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(options.ResponseColumnName, nameof(options));
        ArgumentException.ThrowIfNullOrEmpty(options.SegmentColumnName, nameof(options));
        ArgumentException.ThrowIfNullOrEmpty(options.CreativeColumnName, nameof(options));
        ArgumentException.ThrowIfNullOrEmpty(options.FeatureColumnName, nameof(options));
        ArgumentNullException.ThrowIfNull(options.Solver, nameof(options));
        if (options.Lambda is { } lambda && !(lambda >= 0 && double.IsFinite(lambda)))
            throw new ArgumentOutOfRangeException(nameof(options), lambda, "GroupLasso: λ must be a finite number ≥ 0, or null to cross-validate.");
        if (options.Alpha is { } alpha && !(alpha >= 0 && (options.Lambda is null ? alpha < 1 : alpha <= 1)))
            throw new ArgumentOutOfRangeException(nameof(options), alpha, "GroupLasso: α must be in [0, 1] with a fixed λ, and in [0, 1) when λ is cross-validated.");
        Options = options;
        Seed = options.Seed ?? seed;
    }

    /// <summary>The options.</summary>
    public GroupLassoTrainerOptions Options { get; }

    /// <summary>The seed of the cross-validation folds.</summary>
    public int Seed { get; }

    /// <inheritdoc />
    public DataSchema GetOutputSchema(DataSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        GroupLassoColumnReader.CheckSchema(inputSchema, Component, Options);
        return inputSchema.WithColumns(GroupLassoTransformer.OutputColumns([]));
    }

    /// <inheritdoc />
    public GroupLassoTransformer Fit(ICausalDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var data = GroupLassoColumnReader.Read(input, Component, Options);
        var solver = Options.Solver with { Seed = Seed };
        if (Options.Lambda is { } lambda)
            return new GroupLassoTransformer(GroupLassoSegmenter.Fit(data, lambda, Options.Alpha ?? GroupLassoTrainerOptions.DefaultAlpha, solver), Options.FeatureColumnName);
        if (Options.Alpha is { } alpha)
            solver = solver with { Alphas = [alpha] };
        var cv = GroupLassoSegmenter.CrossValidate(data, solver);
        return new GroupLassoTransformer(cv.Model, Options.FeatureColumnName, cv);
    }
}
