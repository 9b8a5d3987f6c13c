using System.Buffers;
using Microsoft.ML.Causal.Forests.Prediction;
using Microsoft.ML.Causal.Learners;
using Microsoft.ML.Causal.Persistence;
using Microsoft.ML.Causal.Trainers;

namespace Microsoft.ML.Causal.Forests;

/// <summary>
/// A fitted <see cref="CausalForest"/>: τ̂(x) from the trees' leaf statistics, its little-bags variance V̂(x)
/// (the analytic intervals τ̂ ± z·√V̂), the out-of-bag τ̂ and V̂ of every training row with the m̂ and ê used to
/// center, and — when fitted with <see cref="ForestOptions.KeepLeafSamples"/> — the forest kernel weights αᵢ(x).
/// Immutable and thread-safe.
/// </summary>
public sealed class CausalForestModel : CateModel
{
    internal const string LoaderName = "CateCausalForest";
    internal const int Version = 1;
    private readonly HonestForest _forest;
    private readonly CausalPredictionStrategy _strategy;
    private readonly int _trainingRows;
    private readonly double[] _outcomeEstimates;
    private readonly double[] _treatmentEstimates;
    private double[] _outOfBagCate = [];
    private double[] _outOfBagVariance = [];

    internal CausalForestModel(CateModelHeader header, HonestForest forest, CausalPredictionStrategy strategy, int trainingRows, double[] outcomeEstimates, double[] treatmentEstimates)
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

    /// <summary>True with tree groups of at least 2: V̂(x) is the little-bags variance.</summary>
    public override bool HasVariance => _forest.GroupSize >= 2;

    internal HonestForest Forest => _forest;

    /// <summary>Number of trees.</summary>
    public int TreeCount => _forest.TreeCount;

    /// <summary>Trees per half-sample (ci.group.size).</summary>
    public int CiGroupSize => _forest.GroupSize;

    /// <summary>Out-of-bag τ̂ of every training row, from the trees that did not draw it (indexed by row of the training features; 0 for rows not fitted on).</summary>
    public ReadOnlyMemory<double> OutOfBagCate => _outOfBagCate;

    /// <summary>Out-of-bag V̂ of every training row, from the tree groups that did not draw it (0 without groups of 2 or more).</summary>
    public ReadOnlyMemory<double> OutOfBagVariance => _outOfBagVariance;

    /// <summary>m̂(x) = Ŷ used to center the outcome, per training row.</summary>
    public ReadOnlyMemory<double> OutcomeEstimates => _outcomeEstimates;

    /// <summary>ê(x) = Ŵ used to center the treatment, per training row (the propensity for a binary treatment).</summary>
    public ReadOnlyMemory<double> TreatmentEstimates => _treatmentEstimates;

    /// <summary>Whether the model kept its leaves' rows, so that <see cref="ForestWeights"/> is available.</summary>
    public bool HasLeafSamples => _forest.Trees[0].LeafRows is not null;

    /// <summary>The little-bags variance V̂(x) of τ̂(x) (0 where no tree group is usable).</summary>
    /// <exception cref="InvalidOperationException">The forest was grown with groups of one tree.</exception>
    public double PredictVariance(ReadOnlySpan<double> features)
    {
        CheckFeatures(features);
        RequireGroups();
        return Estimate(features, true).Variance;
    }

    /// <summary>τ̂ of every row of <paramref name="features"/> and, when <paramref name="variance"/> is not empty, V̂; in parallel over rows.</summary>
    public void Predict(FeatureMatrix features, Span<double> cate, Span<double> variance = default)
    {
        ArgumentNullException.ThrowIfNull(features);
        if (features.ColumnCount != FeatureCount)
            throw new ArgumentException($"The causal forest expects {FeatureCount} features; the matrix has {features.ColumnCount}.", nameof(features));
        var n = features.RowCount;
        if (cate.Length < n || (!variance.IsEmpty && variance.Length < n))
            throw new ArgumentException($"The outputs must hold {n} values.", nameof(cate));
        var withVariance = !variance.IsEmpty;
        if (withVariance)
            RequireGroups();
        var tau = new double[n];
        var v = new double[n];
        Parallel.For(0, (n + 255) / 256, block =>
        {
            var end = Math.Min(n, (block + 1) * 256);
            for (var i = block * 256; i < end; i++)
                (tau[i], v[i]) = Estimate(features.Row(i), withVariance);
        });
        tau.CopyTo(cate);
        if (withVariance)
            v.CopyTo(variance);
    }

    /// <summary>
    /// The forest kernel weights αᵢ(x) = (1/B) Σ_b 1{i ∈ L_b(x)} / |L_b(x)| over the B trees with a non-empty leaf at
    /// x: the training rows with positive weight (ascending) and their weights, which sum to 1.
    /// </summary>
    /// <exception cref="InvalidOperationException">The model was fitted without <see cref="ForestOptions.KeepLeafSamples"/>.</exception>
    public (int[] Rows, double[] Weights) ForestWeights(ReadOnlySpan<double> features)
    {
        CheckFeatures(features);
        if (!HasLeafSamples)
            throw new InvalidOperationException("The causal forest kept no leaf rows, so it has no kernel weights. Fit with ForestOptions.KeepLeafSamples = true.");
        var alpha = new double[_trainingRows];
        var used = 0;
        foreach (var tree in _forest.Trees)
        {
            var leaf = tree.LeafOf(features);
            if (leaf < 0)
                continue;
            used++;
            var begin = tree.LeafStart![leaf];
            var size = tree.LeafStart[leaf + 1] - begin;
            foreach (var r in tree.LeafRows.AsSpan(begin, size))
                alpha[r] += 1.0 / size;
        }
        var rows = new List<int>();
        var weights = new List<double>();
        for (var r = 0; r < alpha.Length; r++)
        {
            if (alpha[r] > 0)
            {
                rows.Add(r);
                weights.Add(alpha[r] / used);
            }
        }
        return ([.. rows], [.. weights]);
    }

    private protected override void PredictCore(ReadOnlySpan<double> features, Span<double> cate) => cate[0] = Estimate(features, false).Tau;

    private protected override void StandardErrorCore(ReadOnlySpan<double> features, Span<double> se) => se[0] = Math.Sqrt(Estimate(features, true).Variance);

    private protected override void VarianceCore(ReadOnlySpan<double> features, Span<double> cate, Span<double> variance) =>
        (cate[0], variance[0]) = Estimate(features, true);

    private (double Tau, double Variance) Estimate(ReadOnlySpan<double> features, bool variance)
    {
        var leaves = ArrayPool<int>.Shared.Rent(_forest.TreeCount);
        try
        {
            var span = leaves.AsSpan(0, _forest.TreeCount);
            _forest.CollectLeaves(features, span);
            return Estimate(span, variance);
        }
        finally
        {
            ArrayPool<int>.Shared.Return(leaves);
        }
    }

    /// <summary>τ̂ and (when asked and the groups allow) V̂ from each tree's leaf (−1: tree not used).</summary>
    internal (double Tau, double Variance) Estimate(ReadOnlySpan<int> leaves, bool variance)
    {
        Span<double> average = stackalloc double[_strategy.StatCount];
        if (_forest.Average(leaves, average) == 0)
            return (_strategy.Fallback, 0);
        var tau = _strategy.Effect(average);
        var size = _forest.GroupSize;
        if (!variance || size < 2 || !CausalPredictionStrategy.Identified(average))
            return (tau, 0); // no variance asked or estimable, or τ̂ is the fallback slope
        var denominator = CausalPredictionStrategy.Denominator(average);
        var mu = CausalPredictionStrategy.Intercept(average, tau);
        var terms = ArrayPool<double>.Shared.Rent(_forest.TreeCount);
        try
        {
            var count = 0;
            for (var g = 0; g < _forest.TreeCount / size; g++)
            {
                if (leaves.Slice(g * size, size).IndexOf(-1) >= 0)
                    continue; // grf drops a group with any tree not used
                for (var b = g * size; b < (g + 1) * size; b++)
                    terms[count++] = CausalPredictionStrategy.TreeTerm(_forest.Trees[b].Stats(leaves[b]), average, tau, mu, denominator);
            }
            return (tau, count > 0 ? LittleBags.Variance(terms.AsSpan(0, count), size) : 0);
        }
        finally
        {
            ArrayPool<double>.Shared.Return(terms);
        }
    }

    /// <summary>
    /// The arm-level nuisances implied by the out-of-bag fit (binary treatment) on the rows of <paramref name="data"/>
    /// (its features must be the training features): μ̂₁ = m̂ + (1 − ê)τ̂, μ̂₀ = m̂ − êτ̂ with ê clipped to
    /// [<paramref name="lower"/>, <paramref name="upper"/>], and the propensities ê and 1 − ê; what the AIPW scores need.
    /// </summary>
    internal (double[] MuTreated, double[] MuControl, double[] ETreated, double[] EControl) ArmNuisances(CateData data, double lower, double upper)
    {
        var n = data.Features.RowCount;
        var tau = _outOfBagCate;
        double[] mu1 = new double[n], mu0 = new double[n], e1 = new double[n], e0 = new double[n];
        foreach (var r in data.RowIndices())
        {
            var p = Math.Clamp(_treatmentEstimates[r], lower, upper);
            mu1[r] = _outcomeEstimates[r] + (1 - p) * tau[r];
            mu0[r] = _outcomeEstimates[r] - p * tau[r];
            e1[r] = p;
            e0[r] = 1 - p;
        }
        return (mu1, mu0, e1, e0);
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
        var compact = new CausalForestModel(Header, _forest.WithoutLeafRows(), _strategy, 0, [], []);
        compact.Replicates = [.. Replicates.Select(r => r.Compact())];
        return compact;
    }

    internal void SetOutOfBag(double[] cate, double[] variance)
    {
        _outOfBagCate = cate;
        _outOfBagVariance = variance;
    }

    private void CheckFeatures(ReadOnlySpan<double> features)
    {
        if (features.Length != FeatureCount)
            throw new ArgumentException($"The causal forest expects {FeatureCount} features; got {features.Length}.", nameof(features));
    }

    private void RequireGroups()
    {
        if (_forest.GroupSize < 2)
            throw new InvalidOperationException("The causal forest was grown with CiGroupSize = 1, which gives no variance. Fit with CiGroupSize ≥ 2 (default 2).");
    }

    private protected override void SaveCore(IModelWriter writer)
    {
        writer.WriteDouble(_strategy.Fallback);
        writer.WriteInt32(_trainingRows);
        _forest.Save(writer);
        writer.WriteDoubles(_outcomeEstimates);
        writer.WriteDoubles(_treatmentEstimates);
        writer.WriteDoubles(_outOfBagCate);
        writer.WriteDoubles(_outOfBagVariance);
    }

    internal static CausalForestModel Load(IModelReader reader)
    {
        var header = CateModelHeader.Load(reader);
        var fallback = reader.ReadDouble();
        var rows = reader.ReadInt32();
        var forest = HonestForest.Load(reader, 5);
        if (forest.FeatureCount != header.FeatureCount || header.EffectNames.Length != 1 || rows < 0)
            throw new ModelFileException("The model file is corrupt: the causal forest does not match its header.");
        foreach (var tree in forest.Trees)
        {
            if (tree.LeafRows is { } leafRows && leafRows.Any(r => (uint)r >= (uint)rows))
                throw new ModelFileException("The model file is corrupt: a causal forest leaf names a row outside the training data.");
        }
        var model = new CausalForestModel(header, forest, new CausalPredictionStrategy(fallback), rows, reader.ReadDoubles(), reader.ReadDoubles());
        var cate = reader.ReadDoubles();
        var variance = reader.ReadDoubles();
        if (model._outcomeEstimates.Length != rows || model._treatmentEstimates.Length != rows || cate.Length != rows || variance.Length != rows)
            throw new ModelFileException("The model file is corrupt: the causal forest's training-row estimates have the wrong length.");
        model.SetOutOfBag(cate, variance);
        model.Replicates = LoadReplicates(reader);
        return model;
    }
}
