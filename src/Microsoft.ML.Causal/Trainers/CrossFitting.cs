using Microsoft.ML.Causal.Learners;
using Microsoft.ML.Causal.Numerics;

namespace Microsoft.ML.Causal.Trainers;

/// <summary>
/// K-fold cross-fitting: every nuisance prediction that feeds a second stage comes from a model that did not
/// see the row. Folds are stratified by arm (each arm's rows shuffled and dealt in turn) and seeded.
/// </summary>
internal static class CrossFitting
{
    /// <summary>The fold of every row of the matrix: 0 … k − 1 for the rows fitted on, −1 for the others.</summary>
    public static int[] Folds(CateData data, int k, int seed)
    {
        var n = data.Features.RowCount;
        var fold = new int[n];
        Array.Fill(fold, -1);
        var rows = data.RowIndices();
        var random = new CausalRandom(seed);
        IEnumerable<int[]> strata = data.Treatment.IsContinuous
            ? [rows]
            : rows.GroupBy(r => data.Treatment.Arms[r]).OrderBy(g => g.Key).Select(g => g.ToArray());
        var next = 0;
        foreach (var stratum in strata)
        {
            random.Shuffle(stratum.AsSpan());
            foreach (var r in stratum)
                fold[r] = next++ % k;
        }
        return fold;
    }

    /// <summary>
    /// Out-of-fold predictions of a regression of <paramref name="labels"/> on the features over the rows
    /// <paramref name="include"/> accepts: for each fold, a model fitted on the included rows of the other folds
    /// predicts every fitted-on row of that fold (included or not).
    /// </summary>
    public static double[] Regression(CateData data, int[] folds, int k, double[] labels, Func<int, bool> include, IRegressionLearner learner, FitContext context, string what)
    {
        var result = new double[data.Features.RowCount];
        for (var f = 0; f < k; f++)
        {
            var model = learner.Fit(TrainingOn(data, folds, f, labels, include, what), context with { Seed = CausalContext.DeriveSeed(context.Seed, f) });
            PredictFold(data, folds, f, result, model.Predict, context);
        }
        return result;
    }

    /// <summary>The same as <see cref="Regression"/> for a classifier of 0/1 labels: out-of-fold probabilities of 1.</summary>
    public static double[] Classification(CateData data, int[] folds, int k, double[] labels, Func<int, bool> include, IClassificationLearner learner, FitContext context, string what)
    {
        var result = new double[data.Features.RowCount];
        for (var f = 0; f < k; f++)
        {
            var model = learner.Fit(TrainingOn(data, folds, f, labels, include, what), context with { Seed = CausalContext.DeriveSeed(context.Seed, f) });
            PredictFold(data, folds, f, result, model.PredictProbability, context);
        }
        return result;
    }

    /// <summary>The training set of the included rows outside fold <paramref name="fold"/> (all included rows when fold is −1).</summary>
    public static TrainingSet TrainingOn(CateData data, int[] folds, int fold, double[] labels, Func<int, bool> include, string what)
    {
        var rows = data.RowIndices().Where(r => (fold < 0 || folds[r] != fold) && include(r)).ToArray();
        if (rows.Length == 0)
        {
            throw new DataValidationException(what, data.Treatment.ColumnName, null,
                $"a cross-fitting fold leaves no rows to fit the {what} on.", "Pass more rows per arm or use fewer folds.");
        }
        return new TrainingSet(data.Features, labels) { Rows = rows, Weights = data.Weights, LabelColumnName = what, WeightColumnName = data.WeightColumnName };
    }

    private delegate double RowPredictor(ReadOnlySpan<double> x);

    /// <summary>Predicts the fold's rows in blocks of 1024, in parallel within the fit context's thread cap (and cancellation).</summary>
    private static void PredictFold(CateData data, int[] folds, int fold, double[] result, RowPredictor predict, FitContext context)
    {
        var rows = data.RowIndices().Where(r => folds[r] == fold).ToArray();
        Parallel.For(0, (rows.Length + 1023) / 1024, context.ParallelOptions, block =>
        {
            var end = Math.Min(rows.Length, (block + 1) * 1024);
            for (var i = block * 1024; i < end; i++)
                result[rows[i]] = predict(data.Features.Row(rows[i]));
        });
    }
}
