using Microsoft.ML.Causal.Data;

namespace Microsoft.ML.Causal.Transforms;

/// <summary>How <see cref="NormalizeEstimator"/> scales values.</summary>
public enum NormalizeMode
{
    /// <summary>(x − mean) / sd, with the population standard deviation; a constant slot maps to 0.</summary>
    MeanVariance,
    /// <summary>(x − min) / (max − min), so fitted values fall in [0, 1]; a constant slot maps to 0.</summary>
    MinMax,
}

/// <summary>Options of <see cref="NormalizeEstimator"/>.</summary>
public sealed record NormalizeOptions
{
    /// <summary>The columns to normalize: numeric scalars (output Double) or vectors (each slot on its own).</summary>
    public IReadOnlyList<ColumnPair> Columns { get; init; } = [];

    /// <summary>The scaling (default <see cref="NormalizeMode.MeanVariance"/>).</summary>
    public NormalizeMode Mode { get; init; } = NormalizeMode.MeanVariance;
}

/// <summary>
/// Learns an affine map per slot, y = (x − offset) · scale, from the non-missing values. Missing values (NaN)
/// stay missing; infinite values are rejected at fitting.
/// </summary>
public sealed class NormalizeEstimator : ICausalEstimator<NormalizeTransformer>
{
    /// <summary>Creates the estimator; options are checked when it is used.</summary>
    public NormalizeEstimator(NormalizeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
    }

    /// <summary>The options.</summary>
    public NormalizeOptions Options { get; }

    /// <inheritdoc />
    public DataSchema GetOutputSchema(DataSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        return inputSchema.WithColumns(InputColumns(inputSchema).Select(c => NormalizeTransformer.OutputDefinition(c.Pair.OutputColumnName, c.Column)));
    }

    /// <inheritdoc />
    public NormalizeTransformer Fit(ICausalDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var columns = InputColumns(input.Schema);
        if (input.RowCount == 0)
            throw DataValidationException.Empty(nameof(NormalizeEstimator), columns[0].Column.Name);
        var fitted = new List<NormalizeTransformer.Slots>();
        foreach (var (pair, column) in columns)
        {
            var stats = SlotStatistics.Compute(input, column, nameof(NormalizeEstimator));
            var width = stats.Mean.Length;
            var offset = new double[width];
            var scale = new double[width];
            for (var j = 0; j < width; j++)
            {
                var (o, range) = Options.Mode == NormalizeMode.MeanVariance
                    ? (stats.Mean[j], stats.StandardDeviation[j])
                    : (stats.Min[j], stats.Max[j] - stats.Min[j]);
                offset[j] = o;
                scale[j] = range > 0 ? 1 / range : 0;
            }
            fitted.Add(new NormalizeTransformer.Slots(pair.OutputColumnName, pair.Input, offset, scale));
        }
        return new NormalizeTransformer(Options.Mode, fitted);
    }

    private List<(ColumnPair Pair, DataSchema.Column Column)> InputColumns(DataSchema schema)
    {
        TransformChecks.CheckPairs(nameof(NormalizeEstimator), Options.Columns);
        if (!Enum.IsDefined(Options.Mode))
            throw new ArgumentOutOfRangeException(nameof(NormalizeOptions.Mode), Options.Mode, "Unknown NormalizeMode value.");
        return Options.Columns.Select(p => (p, TransformChecks.Require(nameof(NormalizeEstimator), schema, p.Input, TransformChecks.IsNumeric, "a numeric scalar or Vector<Double>"))).ToList();
    }
}
