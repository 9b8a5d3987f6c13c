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
public sealed class CausalForestModel : CausalForestModelBase
{
    internal const string LoaderName = "CateCausalForest";
    /// <summary>Payload version: 2 adds the out-of-bag Monte-Carlo variance per training row (version 1 files load without it).</summary>
    internal const int Version = 2;
    private readonly CausalPredictionStrategy _strategy;
    private double[] _outOfBagMonteCarloVariance = [];

    internal CausalForestModel(CateModelHeader header, HonestForest forest, CausalPredictionStrategy strategy, int trainingRows, double[] outcomeEstimates, double[] treatmentEstimates)
        : base(header, forest, trainingRows, outcomeEstimates, treatmentEstimates) => _strategy = strategy;

    /// <inheritdoc />
    public override string ComponentName => LoaderName;

    /// <inheritdoc />
    public override int ComponentVersion => Version;

    /// <summary>
    /// Per training row, the Monte-Carlo variance of its out-of-bag τ̂: how much τ̂ would move if the same forest were
    /// grown again on the same data with other random draws — the variance across the out-of-bag tree groups (the
    /// forest's independent units) of the group means of the trees' terms ρ_b, divided by the number of groups
    /// (the jackknife over groups of the linearized τ̂). 0 where fewer than two groups are out of bag or τ̂ is the
    /// fallback; empty after <see cref="CausalForestModelBase.Compact"/> and for models saved before it existed.
    /// <see cref="CausalForestAnalysis.DebiasedError"/> uses it.
    /// </summary>
    public ReadOnlyMemory<double> OutOfBagMonteCarloVariance => _outOfBagMonteCarloVariance;

    /// <summary>The little-bags variance V̂(x) of τ̂(x) (0 where no tree group is usable).</summary>
    /// <exception cref="InvalidOperationException">The forest was grown with groups of one tree.</exception>
    public double PredictVariance(ReadOnlySpan<double> features)
    {
        CheckFeatures(features);
        RequireGroups();
        return Estimate(features, true).Variance;
    }

    /// <summary>Rows per block of the batch prediction: each tree is walked by a block's rows in turn.</summary>
    internal const int BlockRows = 256;

    /// <summary>
    /// τ̂ of every row of <paramref name="features"/> and, when <paramref name="variance"/> is not empty, V̂: the same
    /// values as the single-row methods, computed in parallel over blocks of <see cref="BlockRows"/> rows, each
    /// block walking every tree for all its rows before the next tree (so the tree's arrays stay in cache).
    /// </summary>
    public void Predict(FeatureMatrix features, Span<double> cate, Span<double> variance = default) =>
        Predict(features, cate, variance, new ParallelOptions());

    /// <summary>As the public overload, on at most <see cref="ParallelOptions.MaxDegreeOfParallelism"/> threads of <paramref name="parallel"/>.</summary>
    internal void Predict(FeatureMatrix features, Span<double> cate, Span<double> variance, ParallelOptions parallel)
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
        var v = withVariance ? new double[n] : [];
        Parallel.For(0, (n + BlockRows - 1) / BlockRows, parallel, RentBuffers, (block, _, buffers) =>
        {
            var start = block * BlockRows;
            var count = Math.Min(n, start + BlockRows) - start;
            EstimateBlock(features.Values.Slice(start * FeatureCount, count * FeatureCount), count, buffers,
                tau.AsSpan(start, count), withVariance ? v.AsSpan(start, count) : default);
            return buffers;
        }, _blockBuffers.Add);
        tau.CopyTo(cate);
        if (withVariance)
            v.CopyTo(variance);
    }

    /// <inheritdoc />
    internal override int PredictionBlockRows => BlockRows;

    /// <summary>The rows' τ̂ (and intervals τ̂ ± z·√V̂, and V̂) by the tree-major block walk of the batch prediction, on the calling thread.</summary>
    private protected override void PredictBlockCore(ReadOnlySpan<double> rows, int count, double level, Span<double> cate, Span<double> lower, Span<double> upper, Span<double> variance)
    {
        var intervals = !lower.IsEmpty;
        var z = Inference.AverageEffect.Quantile(level);
        var buffers = RentBuffers();
        try
        {
            for (var start = 0; start < count; start += BlockRows)
            {
                var size = Math.Min(BlockRows, count - start);
                var v = intervals ? buffers.Variance.AsSpan(0, size) : default;
                var tau = cate.Slice(start, size);
                EstimateBlock(rows.Slice(start * FeatureCount, size * FeatureCount), size, buffers, tau, v);
                if (intervals)
                    StoreIntervals(tau, v, z, start, lower, upper, variance);
            }
        }
        finally
        {
            _blockBuffers.Add(buffers);
        }
    }

    /// <summary>Block buffers kept for reuse by both block predictions across calls and threads (each in use by one thread at a time).</summary>
    private readonly System.Collections.Concurrent.ConcurrentBag<BlockBuffers> _blockBuffers = new();

    /// <summary>A pooled block buffer, or a new one when all are in use; return it to <see cref="_blockBuffers"/> after use.</summary>
    private BlockBuffers RentBuffers() => _blockBuffers.TryTake(out var buffers) ? buffers : new BlockBuffers(TreeCount, _strategy.StatCount);

    /// <summary>A block's working arrays: each tree's leaf per row (tree-major), and per row the leaf-statistics sums, tree counts, μ̂, the denominator and the little-bags sums.</summary>
    private sealed class BlockBuffers(int trees, int stats)
    {
        public readonly int[] Leaves = new int[trees * BlockRows];
        public readonly double[] Average = new double[stats * BlockRows];
        public readonly int[] Used = new int[BlockRows];
        public readonly double[] Mu = new double[BlockRows];
        public readonly double[] Denominator = new double[BlockRows];
        public readonly bool[] Varies = new bool[BlockRows];
        public readonly double[] Between = new double[BlockRows];
        public readonly double[] Total = new double[BlockRows];
        public readonly int[] Groups = new int[BlockRows];
        public readonly double[] Variance = new double[BlockRows];
    }

    /// <summary>
    /// <see cref="Estimate(ReadOnlySpan{int}, bool)"/> for the <paramref name="count"/> rows of <paramref name="block"/>
    /// (row-major): the same sums in the same order per row — the leaf statistics over trees 0 … B − 1, then the
    /// little-bags sums over the usable groups in order — so the results are bit-identical; but tree-major, first
    /// walking each tree for every row and adding its leaf's statistics, then computing each group's terms for
    /// every row.
    /// </summary>
    private void EstimateBlock(ReadOnlySpan<double> block, int count, BlockBuffers buffers, Span<double> cate, Span<double> variance)
    {
        var statCount = _strategy.StatCount;
        var trees = Forest.Trees;
        var leaves = buffers.Leaves.AsSpan(0, trees.Length * count);
        var sums = buffers.Average.AsSpan(0, statCount * count);
        var used = buffers.Used.AsSpan(0, count);
        sums.Clear();
        used.Clear();
        for (var b = 0; b < trees.Length; b++)
        {
            var treeLeaves = leaves.Slice(b * count, count);
            Forest.CollectLeaves(b, block, treeLeaves);
            var stats = trees[b].LeafStats;
            for (var i = 0; i < count; i++)
            {
                var leaf = treeLeaves[i];
                if (leaf < 0)
                    continue;
                var from = stats.AsSpan(leaf * statCount, statCount);
                var to = sums.Slice(i * statCount, statCount);
                for (var k = 0; k < statCount; k++)
                    to[k] += from[k];
                used[i]++;
            }
        }
        var withVariance = !variance.IsEmpty && Forest.GroupSize >= 2;
        var varies = buffers.Varies.AsSpan(0, count);
        var anyVaries = false;
        for (var i = 0; i < count; i++)
        {
            var average = sums.Slice(i * statCount, statCount);
            varies[i] = false;
            if (used[i] == 0)
            {
                cate[i] = _strategy.Fallback;
                continue;
            }
            for (var k = 0; k < statCount; k++)
                average[k] /= used[i];
            cate[i] = _strategy.Effect(average);
            if (withVariance && CausalPredictionStrategy.Identified(average))
            {
                varies[i] = anyVaries = true;
                buffers.Denominator[i] = CausalPredictionStrategy.Denominator(average);
                buffers.Mu[i] = CausalPredictionStrategy.Intercept(average, cate[i]);
            }
        }
        if (variance.IsEmpty)
            return;
        variance.Clear();
        if (!anyVaries)
            return;
        var size = Forest.GroupSize;
        var between = buffers.Between.AsSpan(0, count);
        var total = buffers.Total.AsSpan(0, count);
        var groups = buffers.Groups.AsSpan(0, count);
        between.Clear();
        total.Clear();
        groups.Clear();
        for (var g = 0; g < trees.Length / size; g++)
        {
            for (var i = 0; i < count; i++)
            {
                if (!varies[i])
                    continue;
                var usable = true;
                for (var b = g * size; b < (g + 1) * size; b++)
                    usable &= leaves[b * count + i] >= 0;
                if (!usable)
                    continue; // grf drops a group with any tree not used
                var average = sums.Slice(i * statCount, statCount);
                double mean = 0;
                for (var b = g * size; b < (g + 1) * size; b++)
                {
                    var rho = CausalPredictionStrategy.TreeTerm(trees[b].LeafStats.AsSpan(leaves[b * count + i] * statCount, statCount), average, cate[i], buffers.Mu[i], buffers.Denominator[i]);
                    mean += rho;
                    total[i] += rho * rho;
                }
                mean /= size;
                between[i] += mean * mean;
                groups[i]++;
            }
        }
        for (var i = 0; i < count; i++)
        {
            if (varies[i] && groups[i] > 0)
                variance[i] = LittleBags.Variance(between[i], total[i], groups[i], size);
        }
    }

    private protected override void PredictCore(ReadOnlySpan<double> features, Span<double> cate) => cate[0] = Estimate(features, false).Tau;

    private protected override void StandardErrorCore(ReadOnlySpan<double> features, Span<double> se) => se[0] = Math.Sqrt(Estimate(features, true).Variance);

    private protected override void VarianceCore(ReadOnlySpan<double> features, Span<double> cate, Span<double> variance) =>
        (cate[0], variance[0]) = Estimate(features, true);

    private (double Tau, double Variance) Estimate(ReadOnlySpan<double> features, bool variance)
    {
        var leaves = RentLeaves(features);
        try
        {
            return Estimate(leaves.AsSpan(0, TreeCount), variance);
        }
        finally
        {
            ReturnLeaves(leaves);
        }
    }

    /// <summary>τ̂ and (when asked and the groups allow) V̂ from each tree's leaf (−1: tree not used).</summary>
    internal (double Tau, double Variance) Estimate(ReadOnlySpan<int> leaves, bool variance)
    {
        var (tau, v, _) = Estimate(leaves, variance, false);
        return (tau, v);
    }

    /// <summary>
    /// τ̂, V̂ (when <paramref name="variance"/> and the groups allow) and the Monte-Carlo variance of τ̂ (when
    /// <paramref name="monteCarlo"/>; see <see cref="OutOfBagMonteCarloVariance"/>) from each tree's leaf (−1: tree
    /// not used). Both come from one pass over the usable groups — those whose trees are all used, as grf drops a
    /// group with any tree not used — of the terms ρ_b: Σ_g ρ̄_g², Σ_b ρ_b² and Σ_g ρ̄_g over G groups give
    /// V̂ (<see cref="LittleBags.Variance(double, double, int, int)"/>, groups of ≥ 2) and
    /// (Σ_g ρ̄_g² − (Σ_g ρ̄_g)²/G) / (G(G − 1)) (any group size, G ≥ 2).
    /// </summary>
    internal (double Tau, double Variance, double MonteCarlo) Estimate(ReadOnlySpan<int> leaves, bool variance, bool monteCarlo)
    {
        Span<double> average = stackalloc double[_strategy.StatCount];
        if (Forest.Average(leaves, average) == 0)
            return (_strategy.Fallback, 0, 0);
        var tau = _strategy.Effect(average);
        var size = Forest.GroupSize;
        variance &= size >= 2;
        if (!(variance || monteCarlo) || !CausalPredictionStrategy.Identified(average))
            return (tau, 0, 0); // nothing more asked or estimable, or τ̂ is the fallback slope
        var denominator = CausalPredictionStrategy.Denominator(average);
        var mu = CausalPredictionStrategy.Intercept(average, tau);
        double between = 0, total = 0, sum = 0;
        var groups = 0;
        for (var g = 0; g < Forest.TreeCount / size; g++)
        {
            if (leaves.Slice(g * size, size).IndexOf(-1) >= 0)
                continue; // grf drops a group with any tree not used
            double mean = 0;
            for (var b = g * size; b < (g + 1) * size; b++)
            {
                var rho = CausalPredictionStrategy.TreeTerm(Forest.Trees[b].Stats(leaves[b]), average, tau, mu, denominator);
                mean += rho;
                total += rho * rho;
            }
            mean /= size;
            between += mean * mean;
            sum += mean;
            groups++;
        }
        var v = variance && groups > 0 ? LittleBags.Variance(between, total, groups, size) : 0;
        var mc = monteCarlo && groups >= 2 ? Math.Max(0, (between - sum * sum / groups) / ((double)groups * (groups - 1))) : 0;
        return (tau, v, mc);
    }

    /// <summary>
    /// The arm-level nuisances implied by the out-of-bag fit (binary treatment) on the rows of <paramref name="data"/>
    /// (its features must be the training features): μ̂₁ = m̂ + (1 − ê)τ̂, μ̂₀ = m̂ − êτ̂ with ê clipped to
    /// [<paramref name="lower"/>, <paramref name="upper"/>], and the propensities ê and 1 − ê; what the AIPW scores need.
    /// </summary>
    internal (double[] MuTreated, double[] MuControl, double[] ETreated, double[] EControl) ArmNuisances(CateData data, double lower, double upper)
    {
        var n = data.Features.RowCount;
        var tau = OutOfBagCate.Span;
        var m = OutcomeEstimates.Span;
        var e = TreatmentEstimates.Span;
        double[] mu1 = new double[n], mu0 = new double[n], e1 = new double[n], e0 = new double[n];
        foreach (var r in data.RowIndices())
        {
            var p = Math.Clamp(e[r], lower, upper);
            mu1[r] = m[r] + (1 - p) * tau[r];
            mu0[r] = m[r] - p * tau[r];
            e1[r] = p;
            e0[r] = 1 - p;
        }
        return (mu1, mu0, e1, e0);
    }

    private void CheckFeatures(ReadOnlySpan<double> features)
    {
        if (features.Length != FeatureCount)
            throw new ArgumentException($"The causal forest expects {FeatureCount} features; got {features.Length}.", nameof(features));
    }

    private void RequireGroups()
    {
        if (Forest.GroupSize < 2)
            throw new InvalidOperationException("The causal forest was grown with CiGroupSize = 1, which gives no variance. Fit with CiGroupSize ≥ 2 (default 2).");
    }

    private protected override void SaveStrategy(IModelWriter writer)
    {
        writer.WriteDouble(_strategy.Fallback);
        writer.WriteDoubles(_outOfBagMonteCarloVariance);
    }

    private protected override long OwnTrainingRowBytes => ForestModelSize.Array(_outOfBagMonteCarloVariance.Length, 8);

    internal void SetOutOfBagMonteCarloVariance(double[] values) => _outOfBagMonteCarloVariance = values;

    private protected override CausalForestModelBase WithForest(HonestForest forest, int trainingRows, double[] outcomeEstimates, double[] treatmentEstimates) =>
        new CausalForestModel(Header, forest, _strategy, trainingRows, outcomeEstimates, treatmentEstimates);

    internal static CausalForestModel Load(IModelReader reader)
    {
        var header = CateModelHeader.Load(reader);
        if (header.EffectNames.Length != 1)
            throw new ModelFileException("The model file is corrupt: the causal forest does not match its header.");
        var strategy = new CausalPredictionStrategy(reader.ReadDouble());
        var monteCarlo = reader.Version >= 2 ? reader.ReadDoubles() : [];
        var model = LoadShared(reader, header, strategy.StatCount, 1, (forest, rows, y, w) => new CausalForestModel(header, forest, strategy, rows, y, w));
        if (reader.Version >= 2 && monteCarlo.Length != model.TrainingRowCount)
            throw new ModelFileException("The model file is corrupt: the causal forest's out-of-bag Monte-Carlo variances have the wrong length.");
        model._outOfBagMonteCarloVariance = monteCarlo;
        return model;
    }
}
