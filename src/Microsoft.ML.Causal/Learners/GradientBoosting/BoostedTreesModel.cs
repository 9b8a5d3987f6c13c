using Microsoft.ML.Causal.Persistence;

namespace Microsoft.ML.Causal.Learners.GradientBoosting;

/// <summary>What every fitted boosted-tree model has: a starting score plus a sum of trees, and how it is saved.</summary>
public abstract class BoostedTreesModel : ISavableModel
{
    private protected BoostedTreesModel(TreeEnsemble ensemble) => Ensemble = ensemble;

    internal TreeEnsemble Ensemble { get; }

    /// <summary>Number of features the model expects.</summary>
    public int FeatureCount => Ensemble.FeatureCount;

    /// <summary>Number of trees.</summary>
    public int TreeCount => Ensemble.Trees.Count;

    /// <summary>Total split gain per feature, summing to 1 (all zeros when no tree splits).</summary>
    public IReadOnlyList<double> FeatureImportance => Ensemble.FeatureImportance();

    /// <inheritdoc />
    public abstract string ComponentName { get; }

    /// <inheritdoc />
    public abstract int ComponentVersion { get; }

    /// <inheritdoc />
    public void Save(IModelWriter writer) => Ensemble.Save(writer);
}
