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
        FeatureRow.Check(FeatureCount, x);
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
        RegressionTree.SaveAll(writer, Trees);
    }

    public static TreeEnsemble Load(IModelReader reader)
    {
        var features = reader.ReadInt32();
        var bias = reader.ReadDouble();
        if (features < 1 || !double.IsFinite(bias))
            throw new ModelFileException($"A tree ensemble claims {features} features and bias {bias}.");
        return new TreeEnsemble(features, bias, RegressionTree.LoadAll(reader, features, minimum: 0));
    }
}
