using System.Buffers;
using Microsoft.ML.Causal.Persistence;
using Microsoft.ML.Causal.Trainers;

namespace Microsoft.ML.Causal.Forests;

/// <summary>
/// What the fitted causal forests share (<see cref="CausalForestModel"/>, <see cref="MultiArmCausalForestModel"/>):
/// the honest trees with their leaf statistics, the little-bags variance with tree groups of two or more, and per
/// training row the out-of-bag estimates and the nuisances used to center (row-major, one value per effect where
/// there are several); the size report and <see cref="Compact"/>. Immutable and thread-safe.
/// </summary>
public abstract class CausalForestModelBase : CateModel
{
    private readonly int _trainingRows;
    private readonly double[] _outcomeEstimates;
    private readonly double[] _treatmentEstimates;
    private double[] _outOfBagCate = [];
    private double[] _outOfBagVariance = [];

    private protected CausalForestModelBase(CateModelHeader header, HonestForest forest, int trainingRows, double[] outcomeEstimates, double[] treatmentEstimates)
        : base(header)
    {
        Forest = forest;
        _trainingRows = trainingRows;
        _outcomeEstimates = outcomeEstimates;
        _treatmentEstimates = treatmentEstimates;
    }

    internal HonestForest Forest { get; }

    /// <summary>True with tree groups of at least 2 (the little-bags variance needs them).</summary>
    public override bool HasAnalyticIntervals => Forest.GroupSize >= 2;

    /// <summary>True with tree groups of at least 2: V̂(x) is the little-bags variance.</summary>
    public override bool HasVariance => Forest.GroupSize >= 2;

    /// <summary>Number of trees.</summary>
    public int TreeCount => Forest.TreeCount;

    /// <summary>Trees per half-sample (ci.group.size).</summary>
    public int CiGroupSize => Forest.GroupSize;

    /// <summary>Number of rows of the training features (0 after <see cref="Compact"/>).</summary>
    public int TrainingRowCount => _trainingRows;

    /// <summary>Out-of-bag τ̂ of every training row (and effect), from the trees that did not draw it (indexed by row of the training features; 0 for rows not fitted on).</summary>
    public ReadOnlyMemory<double> OutOfBagCate => _outOfBagCate;

    /// <summary>Out-of-bag V̂ of every training row (and effect), from the tree groups that did not draw it (0 without groups of 2 or more).</summary>
    public ReadOnlyMemory<double> OutOfBagVariance => _outOfBagVariance;

    /// <summary>m̂(x) = Ŷ used to center the outcome, per training row.</summary>
    public ReadOnlyMemory<double> OutcomeEstimates => _outcomeEstimates;

    /// <summary>Ŵ used to center the treatment, per training row (and effect): the propensity of each non-control arm, or E[W | x] for a dose.</summary>
    public ReadOnlyMemory<double> TreatmentEstimates => _treatmentEstimates;

    /// <summary>Whether the model kept its leaves' rows, so that <see cref="ForestWeights"/> is available.</summary>
    public bool HasLeafSamples => Forest.Trees[0].LeafRows is not null;

    /// <summary>
    /// The forest kernel weights αᵢ(x) = (1/B) Σ_b 1{i ∈ L_b(x)} / |L_b(x)| over the B trees with a non-empty leaf at
    /// x: the training rows with positive weight (ascending) and their weights, which sum to 1.
    /// </summary>
    /// <exception cref="InvalidOperationException">The model was fitted without <see cref="ForestOptions.KeepLeafSamples"/>.</exception>
    public (int[] Rows, double[] Weights) ForestWeights(ReadOnlySpan<double> features)
    {
        if (features.Length != FeatureCount)
            throw new ArgumentException($"The causal forest expects {FeatureCount} features; got {features.Length}.", nameof(features));
        if (!HasLeafSamples)
            throw new InvalidOperationException("The causal forest kept no leaf rows, so it has no kernel weights. Fit with ForestOptions.KeepLeafSamples = true.");
        var alpha = new double[TrainingRowCount];
        var used = 0;
        foreach (var tree in Forest.Trees)
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

    /// <summary>What the model's payload holds, in stored bytes (see <see cref="ForestModelSize"/>).</summary>
    public ForestModelSize Size =>
        Forest.Size(ForestModelSize.Array(_outcomeEstimates.Length, 8) + ForestModelSize.Array(_treatmentEstimates.Length, 8)
            + ForestModelSize.Array(_outOfBagCate.Length, 8) + ForestModelSize.Array(_outOfBagVariance.Length, 8) + OwnTrainingRowBytes);

    /// <summary>Stored bytes of the per-training-row arrays a derived model keeps besides the shared ones (dropped by <see cref="Compact"/>).</summary>
    private protected virtual long OwnTrainingRowBytes => 0;

    /// <summary>
    /// A copy with only what scoring needs: the trees and their leaf statistics. Predictions, intervals and
    /// variances are bit-identical and the average effects are kept; the out-of-bag estimates, m̂, ê, kernel
    /// weights and the <see cref="CausalForestAnalysis"/> tools (which need them) are not available on the copy.
    /// </summary>
    public override CateModel Compact()
    {
        var compact = WithForest(Forest.WithoutLeafRows(), 0, [], []);
        compact.Replicates = [.. Replicates.Select(r => r.Compact())];
        return compact;
    }

    /// <summary>The same model over other trees and training-row arrays (for <see cref="Compact"/>).</summary>
    private protected abstract CausalForestModelBase WithForest(HonestForest forest, int trainingRows, double[] outcomeEstimates, double[] treatmentEstimates);

    /// <summary>Writes the prediction strategy's own values and any per-row arrays of the derived model (before the shared payload).</summary>
    private protected abstract void SaveStrategy(IModelWriter writer);

    internal void SetOutOfBag(double[] cate, double[] variance)
    {
        _outOfBagCate = cate;
        _outOfBagVariance = variance;
    }

    /// <summary>
    /// The block prediction's intervals τ̂ ± z·√V̂ (as the single-row path computes them) for the estimates
    /// <paramref name="tau"/> with variances <paramref name="v"/>, stored from <paramref name="at"/> on, and V̂ too when
    /// <paramref name="variance"/> is not empty.
    /// </summary>
    private protected static void StoreIntervals(ReadOnlySpan<double> tau, ReadOnlySpan<double> v, double z, int at, Span<double> lower, Span<double> upper, Span<double> variance)
    {
        for (var i = 0; i < tau.Length; i++)
        {
            var se = Math.Sqrt(v[i]);
            lower[at + i] = tau[i] - z * se;
            upper[at + i] = tau[i] + z * se;
        }
        if (!variance.IsEmpty)
            v.CopyTo(variance.Slice(at, tau.Length));
    }

    /// <summary>Each tree's leaf for <paramref name="features"/> (−1 where empty) in a pooled buffer of <see cref="TreeCount"/> used entries; return it with <see cref="ReturnLeaves"/>.</summary>
    private protected int[] RentLeaves(ReadOnlySpan<double> features)
    {
        var leaves = ArrayPool<int>.Shared.Rent(Forest.TreeCount);
        Forest.CollectLeaves(features, leaves.AsSpan(0, Forest.TreeCount));
        return leaves;
    }

    private protected static void ReturnLeaves(int[] leaves) => ArrayPool<int>.Shared.Return(leaves);

    private protected sealed override void SaveCore(IModelWriter writer)
    {
        SaveStrategy(writer);
        writer.WriteInt32(_trainingRows);
        Forest.Save(writer);
        writer.WriteDoubles(_outcomeEstimates);
        writer.WriteDoubles(_treatmentEstimates);
        writer.WriteDoubles(_outOfBagCate);
        writer.WriteDoubles(_outOfBagVariance);
    }

    /// <summary>
    /// Reads what <see cref="SaveCore"/> writes after the strategy, builds the model with <paramref name="create"/>
    /// and checks the per-row arrays (<paramref name="perRow"/> values per training row, except m̂: one).
    /// </summary>
    private protected static T LoadShared<T>(IModelReader reader, CateModelHeader header, int statCount, int perRow, Func<HonestForest, int, double[], double[], T> create)
        where T : CausalForestModelBase
    {
        var rows = reader.ReadInt32();
        var forest = HonestForest.Load(reader, statCount);
        if (forest.FeatureCount != header.FeatureCount || rows < 0)
            throw new ModelFileException("The model file is corrupt: the causal forest does not match its header.");
        foreach (var tree in forest.Trees)
        {
            if (tree.LeafRows is { } leafRows && leafRows.Any(r => (uint)r >= (uint)rows))
                throw new ModelFileException("The model file is corrupt: a causal forest leaf names a row outside the training data.");
        }
        var model = create(forest, rows, reader.ReadDoubles(), reader.ReadDoubles());
        var cate = reader.ReadDoubles();
        var variance = reader.ReadDoubles();
        if (model._outcomeEstimates.Length != rows || model._treatmentEstimates.Length != (long)rows * perRow || cate.Length != (long)rows * perRow || variance.Length != (long)rows * perRow)
            throw new ModelFileException("The model file is corrupt: the causal forest's training-row estimates have the wrong length.");
        model.SetOutOfBag(cate, variance);
        model.Replicates = LoadReplicates(reader);
        return model;
    }
}
