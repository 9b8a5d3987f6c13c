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
    internal const int Version = 1;
    private readonly CausalPredictionStrategy _strategy;

    internal CausalForestModel(CateModelHeader header, HonestForest forest, CausalPredictionStrategy strategy, int trainingRows, double[] outcomeEstimates, double[] treatmentEstimates)
        : base(header, forest, trainingRows, outcomeEstimates, treatmentEstimates) => _strategy = strategy;

    /// <inheritdoc />
    public override string ComponentName => LoaderName;

    /// <inheritdoc />
    public override int ComponentVersion => Version;


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
        Span<double> average = stackalloc double[_strategy.StatCount];
        if (Forest.Average(leaves, average) == 0)
            return (_strategy.Fallback, 0);
        var tau = _strategy.Effect(average);
        var size = Forest.GroupSize;
        if (!variance || size < 2 || !CausalPredictionStrategy.Identified(average))
            return (tau, 0); // no variance asked or estimable, or τ̂ is the fallback slope
        var denominator = CausalPredictionStrategy.Denominator(average);
        var mu = CausalPredictionStrategy.Intercept(average, tau);
        var terms = ArrayPool<double>.Shared.Rent(Forest.TreeCount);
        try
        {
            var count = 0;
            for (var g = 0; g < Forest.TreeCount / size; g++)
            {
                if (leaves.Slice(g * size, size).IndexOf(-1) >= 0)
                    continue; // grf drops a group with any tree not used
                for (var b = g * size; b < (g + 1) * size; b++)
                    terms[count++] = CausalPredictionStrategy.TreeTerm(Forest.Trees[b].Stats(leaves[b]), average, tau, mu, denominator);
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

    private protected override void SaveStrategy(IModelWriter writer) => writer.WriteDouble(_strategy.Fallback);

    private protected override CausalForestModelBase WithForest(HonestForest forest, int trainingRows, double[] outcomeEstimates, double[] treatmentEstimates) =>
        new CausalForestModel(Header, forest, _strategy, trainingRows, outcomeEstimates, treatmentEstimates);

    internal static CausalForestModel Load(IModelReader reader)
    {
        var header = CateModelHeader.Load(reader);
        if (header.EffectNames.Length != 1)
            throw new ModelFileException("The model file is corrupt: the causal forest does not match its header.");
        var strategy = new CausalPredictionStrategy(reader.ReadDouble());
        return LoadShared(reader, header, strategy.StatCount, 1, (forest, rows, y, w) => new CausalForestModel(header, forest, strategy, rows, y, w));
    }
}
