using Microsoft.ML.Causal.Learners.Trees;
using Microsoft.ML.Causal.Persistence;

namespace Microsoft.ML.Causal.Learners.RandomForest;

/// <summary>Trees whose leaf values are averaged: prediction = mean over trees of the leaf value.</summary>
internal sealed class ForestEnsemble(int featureCount, IReadOnlyList<RegressionTree> trees)
{
    public int FeatureCount { get; } = featureCount;

    public IReadOnlyList<RegressionTree> Trees { get; } = trees;

    public double Predict(ReadOnlySpan<double> x)
    {
        if (x.Length != FeatureCount)
            throw new ArgumentException($"The model expects {FeatureCount} features; the row has {x.Length}.", nameof(x));
        var sum = 0.0;
        foreach (var tree in Trees)
            sum += tree.Predict(x);
        return sum / Trees.Count;
    }

    public void Save(IModelWriter writer)
    {
        writer.WriteInt32(FeatureCount);
        writer.WriteInt32(Trees.Count);
        foreach (var tree in Trees)
            tree.Save(writer);
    }

    public static ForestEnsemble Load(IModelReader reader)
    {
        var features = reader.ReadInt32();
        var count = reader.ReadInt32();
        if (features < 1 || count < 1)
            throw new ModelFileException($"A forest claims {features} features and {count} trees.");
        var trees = new List<RegressionTree>(count);
        for (var i = 0; i < count; i++)
            trees.Add(RegressionTree.Load(reader, features));
        return new ForestEnsemble(features, trees);
    }
}
