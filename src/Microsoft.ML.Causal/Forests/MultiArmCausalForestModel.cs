using System.Buffers;
using Microsoft.ML.Causal.Forests.Prediction;
using Microsoft.ML.Causal.Learners;
using Microsoft.ML.Causal.Persistence;
using Microsoft.ML.Causal.Trainers;

namespace Microsoft.ML.Causal.Forests;

/// <summary>
/// A fitted <see cref="MultiArmCausalForest"/>: τ̂(x) of every non-control arm (in the order of
/// <see cref="CateModel.EffectNames"/>) from the trees' leaf statistics, each arm's little-bags variance V̂_k(x)
/// (the analytic intervals τ̂_k ± z·√V̂_k), and per training row the out-of-bag τ̂ and V̂ with the m̂ and ê used
/// to center. Per-row arrays are row-major with one value per effect. Immutable and thread-safe.
/// </summary>
public sealed class MultiArmCausalForestModel : CausalForestModelBase
{
    internal const string LoaderName = "CateMultiArmCausalForest";
    internal const int Version = 1;
    private readonly MultiCausalPredictionStrategy _strategy;

    internal MultiArmCausalForestModel(CateModelHeader header, HonestForest forest, MultiCausalPredictionStrategy strategy, int trainingRows, double[] outcomeEstimates, double[] treatmentEstimates)
        : base(header, forest, trainingRows, outcomeEstimates, treatmentEstimates) => _strategy = strategy;

    /// <inheritdoc />
    public override string ComponentName => LoaderName;

    /// <inheritdoc />
    public override int ComponentVersion => Version;

    private protected override void PredictCore(ReadOnlySpan<double> features, Span<double> cate) => Estimate(features, cate, default);

    private protected override void StandardErrorCore(ReadOnlySpan<double> features, Span<double> se)
    {
        Span<double> cate = stackalloc double[EffectCount];
        Estimate(features, cate, se);
        foreach (ref var v in se[..EffectCount])
            v = Math.Sqrt(v);
    }

    private protected override void VarianceCore(ReadOnlySpan<double> features, Span<double> cate, Span<double> variance) => Estimate(features, cate, variance);

    /// <inheritdoc />
    internal override int PredictionBlockRows => CausalForestModel.BlockRows;

    /// <summary>
    /// The rows' τ̂ (and intervals τ̂ ± z·√V̂, and V̂) of every arm: each tree is walked by all of a block's rows in turn
    /// (its arrays stay in cache), then each row's estimate is taken from its leaves as on the single-row path, so
    /// the values are the same bit for bit.
    /// </summary>
    private protected override void PredictBlockCore(ReadOnlySpan<double> rows, int count, double level, Span<double> cate, Span<double> lower, Span<double> upper, Span<double> variance)
    {
        var intervals = !lower.IsEmpty;
        var k = EffectCount;
        var trees = TreeCount;
        var block = CausalForestModel.BlockRows;
        var z = Inference.AverageEffect.Quantile(level);
        var byTree = ArrayPool<int>.Shared.Rent(trees * block);
        var leaves = ArrayPool<int>.Shared.Rent(trees);
        Span<double> v = stackalloc double[k];
        try
        {
            for (var start = 0; start < count; start += block)
            {
                var size = Math.Min(block, count - start);
                var x = rows.Slice(start * FeatureCount, size * FeatureCount);
                for (var b = 0; b < trees; b++)
                    Forest.CollectLeaves(b, x, byTree.AsSpan(b * size, size));
                for (var i = 0; i < size; i++)
                {
                    for (var b = 0; b < trees; b++)
                        leaves[b] = byTree[b * size + i];
                    var at = (start + i) * k;
                    var tau = cate.Slice(at, k);
                    Estimate(leaves.AsSpan(0, trees), tau, intervals ? v : default);
                    if (intervals)
                        StoreIntervals(tau, v, z, at, lower, upper, variance);
                }
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(byTree);
            ArrayPool<int>.Shared.Return(leaves);
        }
    }

    private void Estimate(ReadOnlySpan<double> features, Span<double> cate, Span<double> variance)
    {
        var leaves = RentLeaves(features);
        try
        {
            Estimate(leaves.AsSpan(0, TreeCount), cate, variance);
        }
        finally
        {
            ReturnLeaves(leaves);
        }
    }

    /// <summary>τ̂ into <paramref name="cate"/> and, when <paramref name="variance"/> is not empty, V̂ (0 where not estimable) from each tree's leaf (−1: tree not used).</summary>
    internal void Estimate(ReadOnlySpan<int> leaves, Span<double> cate, Span<double> variance)
    {
        var k = EffectCount;
        if (!variance.IsEmpty)
            variance[..k].Clear();
        Span<double> average = stackalloc double[_strategy.StatCount];
        if (Forest.Average(leaves, average) == 0)
        {
            _strategy.Fallback.CopyTo(cate);
            return;
        }
        Span<double> factor = stackalloc double[k * k];
        var identified = _strategy.Effect(average, cate, factor);
        var size = Forest.GroupSize;
        if (variance.IsEmpty || size < 2 || !identified)
            return;
        var mu = _strategy.Intercept(average, cate);
        var terms = ArrayPool<double>.Shared.Rent(Forest.TreeCount * k);
        var column = ArrayPool<double>.Shared.Rent(Forest.TreeCount);
        try
        {
            var count = 0;
            for (var g = 0; g < Forest.TreeCount / size; g++)
            {
                if (leaves.Slice(g * size, size).IndexOf(-1) >= 0)
                    continue; // grf drops a group with any tree not used
                for (var b = g * size; b < (g + 1) * size; b++)
                    _strategy.TreeTerm(Forest.Trees[b].Stats(leaves[b]), average, cate, mu, factor, terms.AsSpan(count++ * k, k));
            }
            if (count == 0)
                return;
            for (var j = 0; j < k; j++)
            {
                for (var b = 0; b < count; b++)
                    column[b] = terms[b * k + j];
                variance[j] = LittleBags.Variance(column.AsSpan(0, count), size);
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(terms);
            ArrayPool<double>.Shared.Return(column);
        }
    }

    /// <summary>
    /// The arm-level nuisances implied by the out-of-bag fit on the rows of <paramref name="data"/> (its features must
    /// be the training features), index 0 for control and 1 + k for effect k: ê_k clipped to
    /// [<paramref name="lower"/>, <paramref name="upper"/>], ê₀ = 1 − Σ_k ê_k (clipped), μ̂₀ = m̂ − Σ_k ê_kτ̂_k and
    /// μ̂_k = μ̂₀ + τ̂_k; what the AIPW scores need.
    /// </summary>
    internal (double[][] Mu, double[][] Propensity) ArmNuisances(CateData data, double lower, double upper)
    {
        var k = EffectCount;
        var n = data.Features.RowCount;
        var tau = OutOfBagCate.Span;
        var m = OutcomeEstimates.Span;
        var e = TreatmentEstimates.Span;
        var mu = Enumerable.Range(0, k + 1).Select(_ => new double[n]).ToArray();
        var p = Enumerable.Range(0, k + 1).Select(_ => new double[n]).ToArray();
        foreach (var r in data.RowIndices())
        {
            double baseline = m[r], rest = 1;
            for (var j = 0; j < k; j++)
            {
                p[1 + j][r] = Math.Clamp(e[r * k + j], lower, upper);
                baseline -= p[1 + j][r] * tau[r * k + j];
                rest -= p[1 + j][r];
            }
            mu[0][r] = baseline;
            p[0][r] = Math.Clamp(rest, lower, upper);
            for (var j = 0; j < k; j++)
                mu[1 + j][r] = baseline + tau[r * k + j];
        }
        return (mu, p);
    }

    private protected override void SaveStrategy(IModelWriter writer) => writer.WriteDoubles(_strategy.Fallback);

    private protected override CausalForestModelBase WithForest(HonestForest forest, int trainingRows, double[] outcomeEstimates, double[] treatmentEstimates) =>
        new MultiArmCausalForestModel(Header, forest, _strategy, trainingRows, outcomeEstimates, treatmentEstimates);

    internal static MultiArmCausalForestModel Load(IModelReader reader)
    {
        var header = CateModelHeader.Load(reader);
        var fallback = reader.ReadDoubles();
        if (fallback.Length != header.EffectNames.Length)
            throw new ModelFileException("The model file is corrupt: the multi-arm causal forest does not match its header.");
        var strategy = new MultiCausalPredictionStrategy(fallback);
        return LoadShared(reader, header, strategy.StatCount, fallback.Length, (forest, rows, y, w) => new MultiArmCausalForestModel(header, forest, strategy, rows, y, w));
    }
}
