using System.Numerics.Tensors;
using MathNet.Numerics.LinearAlgebra;
using Microsoft.ML.Causal.Learners;
using Microsoft.ML.Causal.Learners.Linear;
using Microsoft.ML.Causal.Inference;
using Microsoft.ML.Causal.Numerics;

namespace Microsoft.ML.Causal.Segmentation.GroupLasso;

/// <summary>
/// Predicted response per (segment, creative) with confidence intervals, from a refit of the group-lasso model on
/// its selected support (the relaxed lasso): the penalized fit shrinks every deviation toward its centre, so its own
/// predictions are biased where a creative deviates; the refit keeps only the structure the penalty chose and
/// estimates it without penalty.
/// </summary>
/// <remarks>
/// <para>
/// Refit: for each designed segment j, one unpenalized logistic regression on the rows shown j's creatives, with
/// an intercept, the centre's slopes on the features where γⱼ ≠ 0, and, for each creative k that is not fused, its
/// own intercept offset and slopes (δⱼₖ on every feature). Fused creatives share the centre exactly. (When no
/// creative of the segment is fused, every creative's model is free: the first one's is the intercept and all the
/// slopes, the others' are offsets from it.) The fit is
/// <see cref="LogisticRegressionLearner"/> with no L2 penalty (Newton's method; separation and collinearity are
/// rejected with its messages).
/// </para>
/// <para>
/// Estimate: people are grouped by the segment the penalized model assigns them to, argmaxⱼ γⱼᵀx (by default the
/// training rows; any other people can be given). For group s and creative c the estimate is the mean over the
/// group's people of σ(β̂_cᵀx), with β̂_c from the refit. Its standard error is the delta method on the refit's
/// inverse Fisher information (Σᵢ wᵢ pᵢ(1 − pᵢ) zᵢzᵢᵀ); the interval is the normal interval on the logit of the
/// mean, mapped back, so it stays inside (0, 1). It is conditional on the selected support and on the grouping:
/// it does not account for the selection (choose λ by cross-validation on other data, or accept that).
/// </para>
/// </remarks>
public static class GroupLassoResponses
{
    private const string Component = "GroupLassoResponses";

    /// <summary>The predicted response of every creative in every segment's group of people, with intervals at <paramref name="level"/>.</summary>
    /// <param name="data">The experiment the model was fitted on (the refit uses its rows, responses and weights).</param>
    /// <param name="model">The fitted model: its fused creatives and centre supports define the refit, its centres the grouping.</param>
    /// <param name="people">Row-major features of the people to group and average over (p per row); null for the training rows.</param>
    /// <param name="level">The interval's level in (0, 1) (default 0.95).</param>
    /// <returns>One estimate per (segment with at least one person, creative), segments in order and creatives in order within each.</returns>
    /// <exception cref="ArgumentException">The model was not fitted on data of this shape, the level is out of range, or a person's features have the wrong count or are not finite.</exception>
    /// <exception cref="DataValidationException">A refit is impossible: a creative's responses are separated by the features, or its features are collinear.</exception>
    public static IReadOnlyList<SegmentCreativeResponse> Estimate(MultiCreativeData data, GroupLassoModel model, ReadOnlyMemory<double>? people = null, double level = 0.95)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(model);
        var z = AverageEffect.Quantile(level); // checks 0 < level < 1
        var p = data.FeatureCount;
        if (model.FeatureCount != p || model.Creatives.Count != data.CreativeCount || model.Segments.Count != data.SegmentCount
            || model.Creatives.Any(c => c.Segment != data.SegmentOf(c.Index)))
            throw new ArgumentException($"{Component}: the model ({model.Segments.Count} segments, {model.Creatives.Count} creatives, {model.FeatureCount} features) was not fitted on this experiment ({data.SegmentCount}, {data.CreativeCount}, {p}).", nameof(model));
        var x = people ?? data.Features;
        if (x.Length % Math.Max(p, 1) != 0 || (p == 0 && x.Length != 0))
            throw new ArgumentException($"{Component}: the people's features have {x.Length} values, not a multiple of the {p} features.", nameof(people));
        var n = p == 0 ? data.RowCount : x.Length / p;
        var groups = new int[n];
        for (var i = 0; i < n; i++)
            groups[i] = model.AssignSegment(x.Span.Slice(i * p, p)); // checks finiteness, naming the feature
        var results = new List<SegmentCreativeResponse>();
        var refits = new Refit[data.SegmentCount];
        for (var j = 0; j < data.SegmentCount; j++)
            refits[j] = Refit.Fit(data, model, j);
        for (var s = 0; s < model.Segments.Count; s++)
        {
            var members = Enumerable.Range(0, n).Where(i => groups[i] == s).ToArray();
            if (members.Length == 0)
                continue;
            foreach (var c in model.Creatives)
            {
                var (mean, se) = refits[c.Segment].MeanResponse(c.Index, x.Span, p, members);
                var (lower, upper) = LogitInterval(mean, se, z);
                results.Add(new SegmentCreativeResponse(s, model.Segments[s].Name, c.Index, c.Name, c.Segment, members.Length, mean, se, lower, upper));
            }
        }
        return results;
    }

    /// <summary>
    /// <see cref="Estimate(MultiCreativeData, GroupLassoModel, ReadOnlyMemory{double}?, double)"/> on a table: the rows of
    /// <paramref name="data"/> (read with the columns of <paramref name="columns"/>, as the trainer read them) are the
    /// experiment refitted and the people grouped and averaged over.
    /// </summary>
    /// <param name="data">The table the model was fitted on, with its feature vector (e.g. the fitted pipeline's output on the training rows).</param>
    /// <param name="columns">The trainer's options (only the column names are read).</param>
    /// <param name="model">The fitted model.</param>
    /// <param name="level">The interval's level in (0, 1).</param>
    /// <exception cref="ArgumentException">The model's segments or creatives are not the table's.</exception>
    public static IReadOnlyList<SegmentCreativeResponse> Estimate(Data.ICausalDataView data, GroupLassoTrainerOptions columns, GroupLassoModel model, double level = 0.95)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(model);
        var experiment = GroupLassoColumnReader.Read(data, Component, columns);
        for (var c = 0; c < Math.Min(model.Creatives.Count, experiment.CreativeCount); c++)
        {
            if (model.Creatives[c].Name != experiment.Names.CreativeName(c))
                throw new ArgumentException($"{Component}: creative {c} of the model is '{model.Creatives[c].Name}' but '{experiment.Names.CreativeName(c)}' in column '{columns.CreativeColumnName}'; give the table the model was fitted on.", nameof(data));
        }
        return Estimate(experiment, model, null, level);
    }

    /// <summary>The normal interval of logit(m) with the delta-method SE se/(m(1 − m)), mapped back by σ.</summary>
    private static (double Lower, double Upper) LogitInterval(double mean, double se, double z)
    {
        var spread = mean * (1 - mean);
        if (!(spread > 0))
            return (mean, mean); // every predicted probability rounded to 0 or 1: no spread left to report
        var logit = Math.Log(mean / (1 - mean));
        var half = z * se / spread;
        return (LogisticMath.Sigmoid(logit - half), LogisticMath.Sigmoid(logit + half));
    }

    /// <summary>The unpenalized refit of one designed segment on the model's support, with its inverse Fisher information.</summary>
    private sealed class Refit
    {
        private readonly int[] _slopes;            // features with a non-zero centre slope
        private readonly Dictionary<int, int> _own; // non-fused creative → the first design column of its block
        private readonly double[] _theta;          // intercept, then the design's coefficients
        private readonly Matrix<double> _covariance;
        private readonly int _p;

        private Refit(int[] slopes, Dictionary<int, int> own, double[] theta, Matrix<double> covariance, int p)
        {
            _slopes = slopes;
            _own = own;
            _theta = theta;
            _covariance = covariance;
            _p = p;
        }

        private int Width => 1 + _slopes.Length + _own.Count * (_p + 1);

        public static Refit Fit(MultiCreativeData data, GroupLassoModel model, int segment)
        {
            var p = data.FeatureCount;
            var centre = model.Segments[segment];
            // When no creative is fused the centre is not identified apart from the deviations: the first creative
            // then carries the intercept and every slope, and the others' blocks are offsets from it (each creative free).
            var noneFused = centre.Creatives.All(c => !model.Creatives[c].Fused);
            var slopes = Enumerable.Range(0, p).Where(l => noneFused || centre.Coefficients[l] != 0).ToArray();
            var own = new Dictionary<int, int>();
            foreach (var c in centre.Creatives.Skip(noneFused ? 1 : 0))
            {
                if (!model.Creatives[c].Fused)
                    own[c] = slopes.Length + own.Count * (p + 1);
            }
            var shape = new Refit(slopes, own, [], Matrix<double>.Build.Dense(1, 1), p);
            var width = shape.Width - 1;
            var shown = data.Creatives;
            var rows = Enumerable.Range(0, data.RowCount).Where(i => data.SegmentOf(shown.Span[i]) == segment).ToArray();
            var creatives = shown.Span;
            var design = new double[(long)rows.Length * width];
            var labels = new double[rows.Length];
            var weights = new double[rows.Length];
            var x = data.Features.Span;
            for (var r = 0; r < rows.Length; r++)
            {
                var i = rows[r];
                shape.Row(x.Slice(i * p, p), creatives[i], design.AsSpan(r * width, width));
                labels[r] = data.Responses.Span[i];
                weights[r] = data.WeightAt(i);
            }
            var theta = width == 0 ? [InterceptOnly(labels, weights, data, centre.Name)] : Logistic(design, rows.Length, width, labels, weights, data);

            // Fisher information Σ w p(1 − p) z̃ z̃ᵀ (z̃ = (1, design row)), inverted after scaling to unit diagonal.
            var k = width + 1;
            var information = Matrix<double>.Build.Dense(k, k);
            var row = new double[k];
            for (var r = 0; r < rows.Length; r++)
            {
                row[0] = 1;
                design.AsSpan(r * width, width).CopyTo(row.AsSpan(1));
                var prob = LogisticMath.Sigmoid(TensorPrimitives.Dot<double>(theta, row));
                var v = weights[r] * prob * (1 - prob);
                if (v == 0)
                    continue;
                for (var a = 0; a < k; a++)
                {
                    if (row[a] == 0)
                        continue;
                    for (var b = 0; b <= a; b++)
                        information[a, b] += v * row[a] * row[b];
                }
            }
            var scale = new double[k];
            for (var a = 0; a < k; a++)
            {
                for (var b = 0; b < a; b++)
                    information[b, a] = information[a, b];
                scale[a] = information[a, a] > 0 ? 1 / Math.Sqrt(information[a, a]) : 1;
            }
            var d = Matrix<double>.Build.DiagonalOfDiagonalArray(scale);
            Matrix<double> covariance;
            try
            {
                covariance = d * (d * information * d).Cholesky().Solve(Matrix<double>.Build.DenseIdentity(k)) * d;
            }
            catch (ArgumentException)
            {
                throw new DataValidationException(Component, data.Names.Creative, null,
                    $"the refit of segment '{centre.Name}' on its selected support has a singular information matrix, so its responses have no standard errors.",
                    "Use a larger λ (fewer deviating creatives) or more rows per creative.");
            }
            return new Refit(slopes, own, theta, covariance, p);
        }

        /// <summary>The unpenalized logistic fit on the design: intercept, then one coefficient per design column.</summary>
        private static double[] Logistic(double[] design, int rows, int width, double[] labels, double[] weights, MultiCreativeData data)
        {
            var fitted = new LogisticRegressionLearner(new LogisticRegressionOptions { L2Regularization = 0 })
                .FitModel(new TrainingSet(new FeatureMatrix(design, rows, width, Enumerable.Range(0, width).Select(a => $"refit{a}")), labels)
                {
                    Weights = weights,
                    LabelColumnName = data.Names.Response,
                    WeightColumnName = data.Names.Weight,
                });
            var theta = new double[width + 1];
            theta[0] = fitted.Intercept;
            for (var a = 0; a < width; a++)
                theta[a + 1] = fitted.Coefficients[a];
            return theta;
        }

        /// <summary>Every creative fused and no centre slope: the segment's log-odds of a response, logit(Σwy / Σw).</summary>
        private static double InterceptOnly(double[] labels, double[] weights, MultiCreativeData data, string segment)
        {
            double positive = 0, total = 0;
            for (var r = 0; r < labels.Length; r++)
            {
                positive += weights[r] * labels[r];
                total += weights[r];
            }
            if (!(positive > 0 && positive < total))
            {
                throw new DataValidationException(Component, data.Names.Response, null,
                    $"every row of segment '{segment}' with positive weight has response {(positive > 0 ? 1 : 0)}, so its response rate has no interval.",
                    "Give the segment rows of both responses.");
            }
            return Math.Log(positive / (total - positive));
        }

        /// <summary>The design row of a person shown <paramref name="creative"/>: centre slopes, then each non-fused creative's block.</summary>
        private void Row(ReadOnlySpan<double> x, int creative, Span<double> into)
        {
            into.Clear();
            for (var a = 0; a < _slopes.Length; a++)
                into[a] = x[_slopes[a]];
            if (_own.TryGetValue(creative, out var at))
            {
                into[at] = 1;
                x.CopyTo(into.Slice(at + 1, _p));
            }
        }

        /// <summary>The mean of σ(β̂_cᵀx) over <paramref name="members"/> and its delta-method standard error.</summary>
        public (double Mean, double StandardError) MeanResponse(int creative, ReadOnlySpan<double> people, int p, int[] members)
        {
            var k = Width;
            var row = new double[k];
            var gradient = Vector<double>.Build.Dense(k);
            var mean = 0.0;
            foreach (var i in members)
            {
                row[0] = 1;
                Row(people.Slice(i * p, p), creative, row.AsSpan(1));
                var prob = LogisticMath.Sigmoid(TensorPrimitives.Dot<double>(_theta, row));
                mean += prob;
                var v = prob * (1 - prob);
                for (var a = 0; a < k; a++)
                    gradient[a] += v * row[a];
            }
            mean /= members.Length;
            gradient /= members.Length;
            var variance = gradient.DotProduct(_covariance * gradient);
            return (mean, Math.Sqrt(Math.Max(variance, 0)));
        }
    }
}
