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
        FeatureRow.Check(FeatureCount, x);
        var sum = 0.0;
        foreach (var tree in Trees)
            sum += tree.Predict(x);
        return sum / Trees.Count;
    }

    public void Save(IModelWriter writer)
    {
        writer.WriteInt32(FeatureCount);
        RegressionTree.SaveAll(writer, Trees);
    }

    public static ForestEnsemble Load(IModelReader reader)
    {
        var features = reader.ReadInt32();
        if (features < 1)
            throw new ModelFileException($"A forest claims {features} features.");
        return new ForestEnsemble(features, RegressionTree.LoadAll(reader, features, minimum: 1));
    }
}
