using System.Buffers;
using System.Collections.Immutable;
using Microsoft.ML.Causal.Inference;
using Microsoft.ML.Causal.Persistence;

namespace Microsoft.ML.Causal.Trainers;

/// <summary>
/// A fitted CATE model: τ̂(x) for each effect (each non-control arm against control, or the marginal effect of
/// a continuous treatment), intervals at any level — analytic where the final stage is linear, else from
/// bootstrap replicates fitted with the model — and the average effects (ATE, ATT) with standard errors from
/// cross-fitted AIPW scores of the training data. Immutable and safe to share between threads.
/// </summary>
public abstract class CateModel : ISavableModel
{
    private protected CateModel(CateModelHeader header) => Header = header;

    internal CateModelHeader Header { get; set; }

    /// <summary>The estimator that fitted the model (e.g. "dr").</summary>
    public string Method => Header.Method;

    /// <summary>Number of features the model reads.</summary>
    public int FeatureCount => Header.FeatureCount;

    /// <summary>One name per effect: the non-control arms in arm order, or the continuous treatment's column.</summary>
    public ImmutableArray<string> EffectNames => Header.EffectNames;

    /// <summary>The control arm (null for a continuous treatment).</summary>
    public string? ControlArm => Header.ControlArm;

    /// <summary>Number of effects, the length of what <see cref="PredictCate(ReadOnlySpan{double}, Span{double})"/> writes.</summary>
    public int EffectCount => Header.EffectNames.Length;

    /// <summary>Average effects of the training population with standard errors (ATE for every effect, and ATT for discrete arms).</summary>
    public ImmutableArray<AverageEffect> AverageEffects => Header.AverageEffects;

    /// <summary>The overlap of the propensities used in the fit (null when none were needed).</summary>
    public OverlapDiagnostics? Overlap => Header.Overlap;

    /// <summary>The bootstrap replicates behind the intervals (empty when the intervals are analytic or off).</summary>
    internal ImmutableArray<CateModel> Replicates { get; set; } = [];

    /// <summary>Whether <see cref="PredictInterval"/> is available: an analytic interval or bootstrap replicates.</summary>
    public bool HasIntervals => HasAnalyticIntervals || !Replicates.IsEmpty;

    /// <summary>Whether intervals come from the final stage's covariance rather than from a bootstrap.</summary>
    public virtual bool HasAnalyticIntervals => false;

    /// <summary>
    /// Whether the model estimates the variance of τ̂(x) itself (the causal forests' little-bags variance, with
    /// groups of at least two trees): then <see cref="PredictVariance"/> is available, the analytic intervals are
    /// τ̂ ± z·√V̂, and a pipeline's <c>CateVariance</c> column holds V̂.
    /// </summary>
    public virtual bool HasVariance => false;

    /// <summary>
    /// A copy without what scoring does not need (for the causal forests: the per-training-row out-of-bag estimates
    /// and nuisances, and the leaves' rows), so the saved model is smaller. τ̂(x), intervals and variances are
    /// unchanged, and so are the stored average effects; what needs the training rows (out-of-bag estimates, the
    /// forest analyses, kernel weights) is no longer available. Models with nothing to drop return themselves.
    /// </summary>
    public virtual CateModel Compact() => this;

    /// <inheritdoc />
    public abstract string ComponentName { get; }

    /// <inheritdoc />
    public abstract int ComponentVersion { get; }

    /// <summary>Writes τ̂(x) of every effect into <paramref name="cate"/>.</summary>
    public void PredictCate(ReadOnlySpan<double> features, Span<double> cate)
    {
        Check(features, cate.Length);
        PredictCore(features, cate);
    }

    /// <summary>τ̂(x) of the first (for a binary treatment, the only) effect.</summary>
    public double PredictCate(ReadOnlySpan<double> features)
    {
        Span<double> cate = stackalloc double[EffectCount];
        PredictCate(features, cate);
        return cate[0];
    }

    /// <summary>
    /// The two-sided interval of τ(x) at <paramref name="level"/> for every effect: normal with the analytic
    /// standard error, or the percentile interval of the bootstrap replicates' predictions.
    /// </summary>
    /// <exception cref="InvalidOperationException">The model has neither (bootstrap replicates set to 0 for a method without analytic intervals).</exception>
    public void PredictInterval(ReadOnlySpan<double> features, double level, Span<double> lower, Span<double> upper)
    {
        Span<double> cate = stackalloc double[EffectCount];
        Predict(features, level, cate, lower, upper);
    }

    /// <summary>The estimated variance V̂(x) of τ̂(x) for every effect (see <see cref="HasVariance"/>).</summary>
    /// <exception cref="InvalidOperationException">The model has no variance estimates.</exception>
    public void PredictVariance(ReadOnlySpan<double> features, Span<double> variance)
    {
        Check(features, variance.Length);
        RequireVariance();
        Span<double> cate = stackalloc double[EffectCount];
        VarianceCore(features, cate, variance);
    }

    /// <summary>τ̂(x) and its two-sided interval at <paramref name="level"/> for every effect, in one pass (see <see cref="PredictInterval"/>).</summary>
    /// <exception cref="InvalidOperationException">The model has no intervals.</exception>
    public void Predict(ReadOnlySpan<double> features, double level, Span<double> cate, Span<double> lower, Span<double> upper) =>
        Predict(features, level, cate, lower, upper, default);

    /// <summary>As the public overload, and also V̂(x) into <paramref name="variance"/> when it is not empty (models with <see cref="HasVariance"/>).</summary>
    internal void Predict(ReadOnlySpan<double> features, double level, Span<double> cate, Span<double> lower, Span<double> upper, Span<double> variance)
    {
        Check(features, Math.Min(cate.Length, Math.Min(lower.Length, upper.Length)));
        var z = AverageEffect.Quantile(level);
        if (HasVariance)
        {
            Span<double> v = stackalloc double[EffectCount];
            VarianceCore(features, cate, v);
            for (var k = 0; k < EffectCount; k++)
            {
                var se = Math.Sqrt(v[k]);
                lower[k] = cate[k] - z * se;
                upper[k] = cate[k] + z * se;
            }
            if (!variance.IsEmpty)
                v.CopyTo(variance);
            return;
        }
        if (!variance.IsEmpty)
            RequireVariance();
        PredictCore(features, cate);
        if (HasAnalyticIntervals)
        {
            Span<double> se = stackalloc double[EffectCount];
            StandardErrorCore(features, se);
            for (var k = 0; k < EffectCount; k++)
            {
                lower[k] = cate[k] - z * se[k];
                upper[k] = cate[k] + z * se[k];
            }
            return;
        }
        if (Replicates.IsEmpty)
        {
            throw new InvalidOperationException(
                $"The {Method} model was fitted without bootstrap replicates, so it has no intervals. Fit with BootstrapReplicates > 0 (e.g. 100).");
        }
        // draws[k·b + i] = replicate i's τ̂ of effect k; one pooled buffer per call.
        var b = Replicates.Length;
        var draws = ArrayPool<double>.Shared.Rent(EffectCount * b);
        try
        {
            Span<double> replicate = stackalloc double[EffectCount];
            for (var i = 0; i < b; i++)
            {
                Replicates[i].PredictCore(features, replicate);
                for (var k = 0; k < EffectCount; k++)
                    draws[k * b + i] = replicate[k];
            }
            var alpha = 1 - level;
            for (var k = 0; k < EffectCount; k++)
            {
                var sorted = draws.AsSpan(k * b, b);
                sorted.Sort();
                lower[k] = Percentile(sorted, alpha / 2);
                upper[k] = Percentile(sorted, 1 - alpha / 2);
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(draws);
        }
    }

    /// <summary>How many rows <see cref="PredictBlockCore"/> computes together to advantage (1: the model gains nothing over row by row).</summary>
    internal virtual int PredictionBlockRows => 1;

    /// <summary>
    /// τ̂ of the <paramref name="count"/> rows of <paramref name="rows"/> (row-major, <see cref="FeatureCount"/> values
    /// each) into <paramref name="cate"/>, and when <paramref name="lower"/> is not empty their intervals at
    /// <paramref name="level"/> (and V̂ into <paramref name="variance"/> when it is not empty); outputs row-major,
    /// row i's effect k at i·<see cref="EffectCount"/> + k. The same values as the single-row methods: by
    /// <see cref="PredictBlockCore"/> when the model computes blocks together and its intervals (if asked for) come
    /// from V̂, else row by row.
    /// </summary>
    internal void PredictBlock(ReadOnlySpan<double> rows, int count, double level, Span<double> cate, Span<double> lower, Span<double> upper, Span<double> variance)
    {
        if (PredictionBlockRows > 1 && (lower.IsEmpty || HasVariance))
            PredictBlockCore(rows, count, level, cate, lower, upper, variance);
        else
            PredictRows(rows, count, level, cate, lower, upper, variance);
    }

    /// <summary>
    /// <see cref="PredictBlock"/> for models with <see cref="PredictionBlockRows"/> &gt; 1 (default: row by row); when
    /// <paramref name="lower"/> is not empty the model has <see cref="HasVariance"/> and the intervals are τ̂ ± z·√V̂.
    /// </summary>
    private protected virtual void PredictBlockCore(ReadOnlySpan<double> rows, int count, double level, Span<double> cate, Span<double> lower, Span<double> upper, Span<double> variance) =>
        PredictRows(rows, count, level, cate, lower, upper, variance);

    /// <summary><see cref="PredictBlock"/> by the single-row methods.</summary>
    private void PredictRows(ReadOnlySpan<double> rows, int count, double level, Span<double> cate, Span<double> lower, Span<double> upper, Span<double> variance)
    {
        var k = EffectCount;
        for (var i = 0; i < count; i++)
        {
            var x = rows.Slice(i * FeatureCount, FeatureCount);
            if (lower.IsEmpty)
                PredictCate(x, cate.Slice(i * k, k));
            else
                Predict(x, level, cate.Slice(i * k, k), lower.Slice(i * k, k), upper.Slice(i * k, k), variance.IsEmpty ? default : variance.Slice(i * k, k));
        }
    }

    /// <summary>τ̂(x) of every effect, without argument checks.</summary>
    private protected abstract void PredictCore(ReadOnlySpan<double> features, Span<double> cate);

    /// <summary>The analytic standard error of τ̂(x) of every effect (only when <see cref="HasAnalyticIntervals"/>).</summary>
    private protected virtual void StandardErrorCore(ReadOnlySpan<double> features, Span<double> se) =>
        throw new InvalidOperationException($"The {Method} model has no analytic standard errors.");

    /// <summary>τ̂(x) and V̂(x) of every effect in one pass (only when <see cref="HasVariance"/>).</summary>
    private protected virtual void VarianceCore(ReadOnlySpan<double> features, Span<double> cate, Span<double> variance) => RequireVariance();

    private void RequireVariance()
    {
        if (!HasVariance)
            throw new InvalidOperationException($"The {Method} model has no variance estimates (only causal forests grown with CiGroupSize ≥ 2 have them).");
    }

    /// <inheritdoc />
    public void Save(IModelWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        Header.Save(writer);
        SaveCore(writer);
        writer.WriteInt32(Replicates.Length);
        foreach (var replicate in Replicates)
            writer.WriteModel(replicate);
    }

    /// <summary>Writes the subclass's own payload (after the header).</summary>
    private protected abstract void SaveCore(IModelWriter writer);

    /// <summary>Reads the replicates written after a subclass's payload.</summary>
    private protected static ImmutableArray<CateModel> LoadReplicates(IModelReader reader)
    {
        var count = reader.ReadInt32();
        if (count < 0)
            throw new ModelFileException($"The model file is corrupt: {count} bootstrap replicates.");
        return [.. Enumerable.Range(0, count).Select(_ => reader.ReadModel<CateModel>())];
    }

    private void Check(ReadOnlySpan<double> features, int outputLength)
    {
        if (features.Length != FeatureCount)
            throw new ArgumentException($"The {Method} model expects {FeatureCount} features; got {features.Length}.", nameof(features));
        if (outputLength < EffectCount)
            throw new ArgumentException($"The output must hold {EffectCount} effects; it holds {outputLength}.", nameof(features));
    }

    private static double Percentile(ReadOnlySpan<double> sorted, double q)
    {
        // Linear interpolation between order statistics (type 7, as NumPy's default).
        var h = (sorted.Length - 1) * q;
        var lo = (int)Math.Floor(h);
        var hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }
}
