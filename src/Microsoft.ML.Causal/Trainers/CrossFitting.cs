using System.Runtime.ExceptionServices;
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
    public static double[] Regression(CateData data, int[] folds, int k, double[] labels, Func<int, bool> include, IRegressionLearner learner, FitContext context, string what) =>
        Fit(data, folds, k, [Target.Regression(labels, include, learner, context.Seed, what)], context)[0];

    /// <summary>The same as <see cref="Regression"/> for a classifier of 0/1 labels: out-of-fold probabilities of 1.</summary>
    public static double[] Classification(CateData data, int[] folds, int k, double[] labels, Func<int, bool> include, IClassificationLearner learner, FitContext context, string what) =>
        Fit(data, folds, k, [Target.Classification(labels, include, learner, context.Seed, what)], context)[0];

    /// <summary>One cross-fitted nuisance: its labels, the rows it is fitted on, how a model is fitted, its seed (fold f's fit derives its own from it) and its name for errors.</summary>
    internal sealed record Target(double[] Labels, Func<int, bool> Include, Func<TrainingSet, FitContext, RowPredictor> FitModel, int Seed, string What)
    {
        public static Target Regression(double[] labels, Func<int, bool> include, IRegressionLearner learner, int seed, string what) =>
            new(labels, include, (set, c) => learner.Fit(set, c).Predict, seed, what);

        public static Target Classification(double[] labels, Func<int, bool> include, IClassificationLearner learner, int seed, string what) =>
            new(labels, include, (set, c) => learner.Fit(set, c).PredictProbability, seed, what);
    }

    /// <summary>
    /// The out-of-fold predictions of every target (see <see cref="Regression"/>), all targets' fold fits scheduled
    /// together within <paramref name="context"/>'s thread cap (<see cref="ForEachFit"/>), so that e.g. the outcome
    /// models of two arms keep both cores busy.
    /// </summary>
    public static double[][] Fit(CateData data, int[] folds, int k, IReadOnlyList<Target> targets, FitContext context)
    {
        var results = targets.Select(_ => new double[data.Features.RowCount]).ToArray();
        var sets = targets.SelectMany(t => Enumerable.Range(0, k).Select(f => TrainingOn(data, folds, f, t.Labels, t.Include, t.What))).ToArray();
        var all = data.RowIndices();
        var foldRows = Enumerable.Range(0, k).Select(f => all.Where(r => folds[r] == f).ToArray()).ToArray();
        ForEachFit(sets.Length, context, (job, inner) =>
        {
            var (t, f) = Math.DivRem(job, k);
            var target = targets[t];
            var predict = target.FitModel(sets[job], inner with { Seed = CausalContext.DeriveSeed(target.Seed, f) });
            PredictFold(data, foldRows[f], results[t], predict, inner);
        });
        return results;
    }

    /// <summary>
    /// Runs <paramref name="count"/> independent fits, several at once when the thread cap of
    /// <paramref name="context"/> allows: with a cap of T threads, T fits at a time on one thread each, then the
    /// last count mod T fits share the T threads. One fit rarely keeps every core busy (its serial steps);
    /// independent fits do. Each fit has its own seed and writes only its own rows, and no fit's result depends on
    /// its thread count, so the schedule changes nothing in the results. The error of the lowest failing fit is
    /// rethrown as it was thrown.
    /// </summary>
    internal static void ForEachFit(int count, FitContext context, Action<int, FitContext> fit)
    {
        var cap = context.MaxDegreeOfParallelism > 0 ? context.MaxDegreeOfParallelism : Environment.ProcessorCount;
        var errors = new Exception?[count];
        var single = count / cap * cap; // fits on one thread each, cap of them at a time
        void Run(int job, int threads)
        {
            try
            {
                fit(job, context with { MaxDegreeOfParallelism = threads });
            }
            catch (Exception e)
            {
                errors[job] = e;
            }
        }
        if (single > 0)
            Parallel.For(0, single, new ParallelOptions { MaxDegreeOfParallelism = cap, CancellationToken = context.CancellationToken }, job => Run(job, 1));
        var rest = count - single; // fewer than cap: they share the cap, cap / rest threads each and the first cap mod rest one more
        if (rest > 0)
        {
            Parallel.For(0, rest, new ParallelOptions { MaxDegreeOfParallelism = rest, CancellationToken = context.CancellationToken },
                i => Run(single + i, cap / rest + (i < cap % rest ? 1 : 0)));
        }
        if (Array.Find(errors, e => e is not null) is { } error)
            ExceptionDispatchInfo.Capture(error).Throw();
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

    internal delegate double RowPredictor(ReadOnlySpan<double> x);

    /// <summary>Predicts a fold's <paramref name="rows"/> in blocks of 1024, in parallel within the fit context's thread cap (and cancellation).</summary>
    private static void PredictFold(CateData data, int[] rows, double[] result, RowPredictor predict, FitContext context)
    {
        Parallel.For(0, (rows.Length + 1023) / 1024, context.ParallelOptions, block =>
        {
            var end = Math.Min(rows.Length, (block + 1) * 1024);
            for (var i = block * 1024; i < end; i++)
                result[rows[i]] = predict(data.Features.Row(rows[i]));
        });
    }
}
