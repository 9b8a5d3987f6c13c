using Microsoft.ML.Causal.Learners.Trees;
using Microsoft.ML.Causal.Persistence;

namespace Microsoft.ML.Causal.Learners.GradientBoosting;

/// <summary>A starting score plus a sum of trees (leaf values already include the learning rate).</summary>
internal sealed class TreeEnsemble(int featureCount, double bias, IReadOnlyList<RegressionTree> trees)
{
    public int FeatureCount { get; } = featureCount;

    public double Bias { get; } = bias;

    public IReadOnlyList<RegressionTree> Trees { get; } = trees;

    public double Score(ReadOnlySpan<double> x)
    {
        if (x.Length != FeatureCount)
            throw new ArgumentException($"The model expects {FeatureCount} features; the row has {x.Length}.", nameof(x));
        var s = Bias;
        foreach (var tree in Trees)
            s += tree.Predict(x);
        return s;
    }

    /// <summary>Total split gain per feature, normalized to sum to 1 (all zeros when no tree splits).</summary>
    public double[] FeatureImportance()
    {
        var importance = new double[FeatureCount];
        foreach (var tree in Trees)
        {
            for (var k = 0; k < tree.NodeCount; k++)
                importance[tree.Feature[k]] += tree.Gain[k];
        }
        var total = importance.Sum();
        if (total > 0)
        {
            for (var j = 0; j < importance.Length; j++)
                importance[j] /= total;
        }
        return importance;
    }

    public void Save(IModelWriter writer)
    {
        writer.WriteInt32(FeatureCount);
        writer.WriteDouble(Bias);
        writer.WriteInt32(Trees.Count);
        foreach (var tree in Trees)
            tree.Save(writer);
    }

    public static TreeEnsemble Load(IModelReader reader)
    {
        var features = reader.ReadInt32();
        var bias = reader.ReadDouble();
        var count = reader.ReadInt32();
        if (features < 1 || count < 0 || !double.IsFinite(bias))
            throw new ModelFileException($"A tree ensemble claims {features} features, {count} trees and bias {bias}.");
        var trees = new List<RegressionTree>();
        for (var i = 0; i < count; i++)
            trees.Add(RegressionTree.Load(reader, features));
        return new TreeEnsemble(features, bias, trees);
    }
}
