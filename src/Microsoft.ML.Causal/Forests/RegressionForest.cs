using Microsoft.ML.Causal.Forests.Prediction;
using Microsoft.ML.Causal.Forests.Relabeling;
using Microsoft.ML.Causal.Forests.Sampling;
using Microsoft.ML.Causal.Forests.Splitting;
using Microsoft.ML.Causal.Learners;

namespace Microsoft.ML.Causal.Forests;

/// <summary>
/// grf's regression forest (relabeling: none; split rule: weighted CART; prediction: the forest-weighted mean)
/// on the library's binned features. Every fit also predicts each fitted row out of bag, from the trees that did
/// not draw it — the estimates grf uses to center a causal forest. See <see cref="ForestOptions"/> for the defaults.
/// </summary>
public sealed class RegressionForest : IRegressionLearner
{
    /// <summary>Creates the learner; the options are checked when it fits.</summary>
    public RegressionForest(ForestOptions? options = null) => Options = options ?? new ForestOptions();

    /// <summary>The options.</summary>
    public ForestOptions Options { get; }

    /// <inheritdoc />
    public IRegressionModel Fit(TrainingSet data, FitContext? context = null) => FitModel(data, default, context);

    /// <summary>Fits on <paramref name="data"/>, sampling whole clusters when <paramref name="clusters"/> (one id per row of the features) is given.</summary>
    /// <exception cref="DataValidationException">A label or weight is not finite, a weight is negative, or there are fewer rows (or clusters) than the sampling needs.</exception>
    public RegressionForestModel FitModel(TrainingSet data, ReadOnlyMemory<int> clusters = default, FitContext? context = null)
    {
        const string component = nameof(RegressionForest);
        Options.Validate(component);
        TrainingSetChecks.Check(data, component, 1);
        context ??= FitContext.Default;
        var rows = data.RowIndices();
        var weights = data.Weights.IsEmpty ? null : data.Weights.ToArray();
        var (forest, strategy, oob) = Train(data.Features, data.Labels.ToArray(), weights, rows, clusters, Options, Options.Seed ?? context.Seed, context, component, data.LabelColumnName);
        return new RegressionForestModel(forest, strategy, oob);
    }

    /// <summary>The forest, its prediction strategy and the out-of-bag prediction of every fitted row (0 for rows not fitted).</summary>
    internal static (HonestForest Forest, RegressionPredictionStrategy Strategy, double[] OutOfBag) Train(FeatureMatrix features, double[] labels, double[]? weights,
        int[] rows, ReadOnlyMemory<int> clusters, ForestOptions options, int seed, FitContext context, string component, string labelColumn)
    {
        if (!clusters.IsEmpty && clusters.Length != features.RowCount)
            throw new ArgumentException($"{component}: {clusters.Length} cluster ids for {features.RowCount} rows.", nameof(clusters));
        var sampler = TreeSampler.Create(rows, clusters.Span, options, features.RowCount);
        RequireUnits(sampler.UnitCount, options, !clusters.IsEmpty, component, labelColumn);
        double sy = 0, sw = 0;
        foreach (var r in rows)
        {
            var w = weights is null ? 1 : weights[r];
            sy += w * labels[r];
            sw += w;
        }
        var strategy = new RegressionPredictionStrategy(sw > 0 ? sy / sw : 0);
        var data = new ForestData(features.GetBinned(options.MaxBins), labels, null, 0, weights);
        var (forest, drawn) = ForestTrainer.Train(data, sampler, options,
            () => (NoopRelabeling.Instance, new RegressionSplittingRule(options.Alpha, options.ImbalancePenalty)), strategy, seed, context, component, keepDrawn: true);
        var oob = new double[features.RowCount];
        OutOfBag.ForEachRow(forest, data.Binned, rows, drawn!, context, (r, leaves) =>
        {
            Span<double> average = stackalloc double[2];
            forest.Average(leaves, average);
            strategy.Predict(average, oob.AsSpan(r, 1));
        });
        return (forest, strategy, oob);
    }

    /// <summary>Throws unless there are enough units for every tree to get a split half and an estimation half.</summary>
    internal static void RequireUnits(int units, ForestOptions options, bool clustered, string component, string column)
    {
        var minimum = TreeSampler.MinimumUnits(options);
        if (units < minimum)
        {
            var what = clustered ? "clusters" : "rows";
            throw new DataValidationException(component, column, null,
                $"there are {units} {what} to fit on; the forest's sampling (sample fraction {options.SampleFraction}, group size {options.CiGroupSize}, honesty {(options.Honesty ? options.HonestyFraction : 0)}) needs at least {minimum}.",
                $"Pass at least {minimum} {what}, or raise SampleFraction (with CiGroupSize = 1) or turn honesty off.");
        }
    }
}
