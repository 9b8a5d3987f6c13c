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
public sealed class MultiArmCausalForestModel : CateModel
{
    internal const string LoaderName = "CateMultiArmCausalForest";
    internal const int Version = 1;
    private readonly HonestForest _forest;
    private readonly MultiCausalPredictionStrategy _strategy;
    private readonly int _trainingRows;
    private readonly double[] _outcomeEstimates;
    private readonly double[] _treatmentEstimates;
    private double[] _outOfBagCate = [];
    private double[] _outOfBagVariance = [];

    internal MultiArmCausalForestModel(CateModelHeader header, HonestForest forest, MultiCausalPredictionStrategy strategy, int trainingRows, double[] outcomeEstimates, double[] treatmentEstimates)
        : base(header)
    {
        _forest = forest;
        _strategy = strategy;
        _trainingRows = trainingRows;
        _outcomeEstimates = outcomeEstimates;
        _treatmentEstimates = treatmentEstimates;
    }

    /// <inheritdoc />
    public override string ComponentName => LoaderName;

    /// <inheritdoc />
    public override int ComponentVersion => Version;

    /// <summary>True with tree groups of at least 2 (the little-bags variance needs them).</summary>
    public override bool HasAnalyticIntervals => _forest.GroupSize >= 2;

    /// <summary>True with tree groups of at least 2: V̂_k(x) is each arm's little-bags variance.</summary>
    public override bool HasVariance => _forest.GroupSize >= 2;

    internal HonestForest Forest => _forest;

    /// <summary>Number of trees.</summary>
    public int TreeCount => _forest.TreeCount;

    /// <summary>Trees per half-sample (ci.group.size).</summary>
    public int CiGroupSize => _forest.GroupSize;

    /// <summary>Number of training rows (the length of the per-row arrays divided by <see cref="CateModel.EffectCount"/>).</summary>
    public int TrainingRowCount => _trainingRows;

    /// <summary>Out-of-bag τ̂ of every training row and effect, row-major (0 for rows not fitted on).</summary>
    public ReadOnlyMemory<double> OutOfBagCate => _outOfBagCate;

    /// <summary>Out-of-bag V̂ of every training row and effect, row-major (0 without groups of 2 or more).</summary>
    public ReadOnlyMemory<double> OutOfBagVariance => _outOfBagVariance;

    /// <summary>m̂(x) = Ŷ used to center the outcome, per training row.</summary>
    public ReadOnlyMemory<double> OutcomeEstimates => _outcomeEstimates;

    /// <summary>ê_k(x) = P(arm k | x) used to center the arm indicators, per training row and effect, row-major.</summary>
    public ReadOnlyMemory<double> TreatmentEstimates => _treatmentEstimates;

    private protected override void PredictCore(ReadOnlySpan<double> features, Span<double> cate) => Estimate(features, cate, default);

    private protected override void StandardErrorCore(ReadOnlySpan<double> features, Span<double> se)
    {
        Span<double> cate = stackalloc double[EffectCount];
        Estimate(features, cate, se);
        foreach (ref var v in se[..EffectCount])
            v = Math.Sqrt(v);
    }

    private protected override void VarianceCore(ReadOnlySpan<double> features, Span<double> cate, Span<double> variance) => Estimate(features, cate, variance);

    private void Estimate(ReadOnlySpan<double> features, Span<double> cate, Span<double> variance)
    {
        var leaves = ArrayPool<int>.Shared.Rent(_forest.TreeCount);
        try
        {
            var span = leaves.AsSpan(0, _forest.TreeCount);
            _forest.CollectLeaves(features, span);
            Estimate(span, cate, variance);
        }
        finally
        {
            ArrayPool<int>.Shared.Return(leaves);
        }
    }

    /// <summary>τ̂ into <paramref name="cate"/> and, when <paramref name="variance"/> is not empty, V̂ (0 where not estimable) from each tree's leaf (−1: tree not used).</summary>
    internal void Estimate(ReadOnlySpan<int> leaves, Span<double> cate, Span<double> variance)
    {
        var k = EffectCount;
        if (!variance.IsEmpty)
            variance[..k].Clear();
        Span<double> average = stackalloc double[_strategy.StatCount];
        if (_forest.Average(leaves, average) == 0)
        {
            _strategy.Fallback.CopyTo(cate);
            return;
        }
        Span<double> factor = stackalloc double[k * k];
        var identified = _strategy.Effect(average, cate, factor);
        var size = _forest.GroupSize;
        if (variance.IsEmpty || size < 2 || !identified)
            return;
        var mu = _strategy.Intercept(average, cate);
        var terms = ArrayPool<double>.Shared.Rent(_forest.TreeCount * k);
        var column = ArrayPool<double>.Shared.Rent(_forest.TreeCount);
        try
        {
            var count = 0;
            for (var g = 0; g < _forest.TreeCount / size; g++)
            {
                if (leaves.Slice(g * size, size).IndexOf(-1) >= 0)
                    continue; // grf drops a group with any tree not used
                for (var b = g * size; b < (g + 1) * size; b++)
                    _strategy.TreeTerm(_forest.Trees[b].Stats(leaves[b]), average, cate, mu, factor, terms.AsSpan(count++ * k, k));
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
        var tau = _outOfBagCate;
        var m = _outcomeEstimates;
        var e = _treatmentEstimates;
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

    /// <summary>What the model's payload holds, in stored bytes (see <see cref="ForestModelSize"/>).</summary>
    public ForestModelSize Size =>
        _forest.Size(ForestModelSize.Array(_outcomeEstimates.Length, 8) + ForestModelSize.Array(_treatmentEstimates.Length, 8)
            + ForestModelSize.Array(_outOfBagCate.Length, 8) + ForestModelSize.Array(_outOfBagVariance.Length, 8));

    /// <summary>
    /// A copy with only what scoring needs: the trees and their leaf statistics. Predictions, intervals and
    /// variances are bit-identical and the average effects are kept; the out-of-bag estimates, m̂, ê, kernel
    /// weights and the <see cref="CausalForestAnalysis"/> tools (which need them) are not available on the copy.
    /// </summary>
    public override CateModel Compact()
    {
        var compact = new MultiArmCausalForestModel(Header, _forest.WithoutLeafRows(), _strategy, 0, [], []);
        compact.Replicates = [.. Replicates.Select(r => r.Compact())];
        return compact;
    }

    internal void SetOutOfBag(double[] cate, double[] variance)
    {
        _outOfBagCate = cate;
        _outOfBagVariance = variance;
    }

    private protected override void SaveCore(IModelWriter writer)
    {
        writer.WriteDoubles(_strategy.Fallback.ToArray());
        writer.WriteInt32(_trainingRows);
        _forest.Save(writer);
        writer.WriteDoubles(_outcomeEstimates);
        writer.WriteDoubles(_treatmentEstimates);
        writer.WriteDoubles(_outOfBagCate);
        writer.WriteDoubles(_outOfBagVariance);
    }

    internal static MultiArmCausalForestModel Load(IModelReader reader)
    {
        var header = CateModelHeader.Load(reader);
        var fallback = reader.ReadDoubles();
        var k = header.EffectNames.Length;
        var rows = reader.ReadInt32();
        if (fallback.Length != k || rows < 0)
            throw new ModelFileException("The model file is corrupt: the multi-arm causal forest does not match its header.");
        var strategy = new MultiCausalPredictionStrategy(fallback);
        var forest = HonestForest.Load(reader, strategy.StatCount);
        if (forest.FeatureCount != header.FeatureCount)
            throw new ModelFileException("The model file is corrupt: the multi-arm causal forest does not match its header.");
        var model = new MultiArmCausalForestModel(header, forest, strategy, rows, reader.ReadDoubles(), reader.ReadDoubles());
        var cate = reader.ReadDoubles();
        var variance = reader.ReadDoubles();
        if (model._outcomeEstimates.Length != rows || model._treatmentEstimates.Length != rows * k || cate.Length != rows * k || variance.Length != rows * k)
            throw new ModelFileException("The model file is corrupt: the multi-arm causal forest's training-row estimates have the wrong length.");
        model.SetOutOfBag(cate, variance);
        model.Replicates = LoadReplicates(reader);
        return model;
    }
}
