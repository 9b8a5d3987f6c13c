using System.IO.Compression;
using Microsoft.ML.Causal.Data;
using Microsoft.ML.Causal.Forests;
using Microsoft.ML.Causal.Learners;
using Microsoft.ML.Causal.Simulation;
using Microsoft.ML.Causal.Trainers;

namespace Microsoft.ML.Causal.Tests.Forests;

/// <summary>The forest models' size report and Compact(): smaller files, identical scoring, clear errors for what was dropped.</summary>
public class ForestModelSizeTests
{
    [Fact]
    public void CompactDropsTheTrainingRowsAndLeafRowsAndScoresIdentically()
    {
        const int n = 600;
        var data = CausalSimulations.WagerAtheyHeterogeneous(n, 3, seed: 31).ToCateData();
        var model = (CausalForestModel)new CausalForest(new CausalForestOptions { Forest = new ForestOptions { NumberOfTrees = 40, KeepLeafSamples = true } })
            .Fit(data, new FitContext { Seed = 1 });
        var size = model.Size;
        Assert.True(size.Trees > 0 && size.LeafStatistics > 0);
        Assert.Equal(5 * (4 + 8L * n), size.TrainingRows); // τ̂, V̂, m̂, ê and the Monte-Carlo variance of τ̂ per row
        Assert.True(size.LeafRows > 4L * n); // every tree keeps its estimation rows
        Assert.Equal(size.Trees + size.LeafStatistics + size.LeafRows + size.TrainingRows, size.Total);

        var compact = (CausalForestModel)model.Compact();
        Assert.Equal(new ForestModelSize(size.Trees, size.LeafStatistics, 0, 20), compact.Size);
        Assert.Equal(model.AverageEffects, compact.AverageEffects);
        var test = CausalSimulations.WagerAtheyHeterogeneous(50, 3, seed: 32).ToCateData().Features;
        for (var i = 0; i < test.RowCount; i++)
        {
            Assert.Equal(model.PredictCate(test.Row(i)), compact.PredictCate(test.Row(i)));
            Assert.Equal(model.PredictVariance(test.Row(i)), compact.PredictVariance(test.Row(i)));
        }
        Assert.Throws<InvalidOperationException>(() => compact.ForestWeights(test.Row(0)));
        Assert.Contains("compacted", Assert.Throws<InvalidOperationException>(() => CausalForestAnalysis.TestCalibration(compact, data)).Message);
        Assert.Equal(CausalForestAnalysis.VariableImportance(model), CausalForestAnalysis.VariableImportance(compact));
    }

    [Fact]
    public void ACompactedPipelineSavesSmallerAndScoresBitIdenticallyAfterLoading()
    {
        var ctx = new CausalContext(2);
        var train = Trainers.CatePipelineTests.ThreeArms(500, seed: 33, asKey: true);
        var score = Trainers.CatePipelineTests.ThreeArms(40, seed: 34, asKey: true);
        var columns = new CateColumns("Y", "Arm") { TreatmentKind = TreatmentKind.MultiArm, ControlArm = "none" };
        var fitted = ctx.Transforms.Featurize("Features", "x1", "x2")
            .Append(ctx.Cate.Trainers.MultiArmCausalForest(new MultiArmCausalForestOptions { Forest = new ForestOptions { NumberOfTrees = 30 } }, columns)).Fit(train);
        var cate = fitted.LastTransformer;
        var full = (MultiArmCausalForestModel)cate.Model;
        var compact = new CausalTransformerChain<CateTransformer>(fitted.Transformers.RemoveAt(fitted.Transformers.Length - 1).Add(cate.Compact()));
        var reduced = ((MultiArmCausalForestModel)compact.LastTransformer.Model).Size;
        Assert.Equal((full.Size.Trees, full.Size.LeafStatistics, 0L, 16L), (reduced.Trees, reduced.LeafStatistics, reduced.LeafRows, reduced.TrainingRows));
        Assert.Equal(4 + 8L * 500 + 3 * (4 + 8L * 500 * 2), full.Size.TrainingRows); // m̂; ê, τ̂ and V̂ per row and arm
        using var big = new MemoryStream();
        using var small = new MemoryStream();
        ctx.Model.Save(fitted, train.Schema, big);
        ctx.Model.Save(compact, train.Schema, small);
        Assert.True(small.Length < big.Length, $"compacted {small.Length} bytes, full {big.Length}");
        // The report counts the forest's stored payload: the largest entry of the zip is the forest model, which adds
        // only its CATE header (method, effect names, average effects, overlap) and a few counts.
        using (var zip = new ZipArchive(new MemoryStream(big.ToArray()), ZipArchiveMode.Read))
            Assert.InRange(zip.Entries.Max(e => e.Length) - full.Size.Total, 0, 1000);
        small.Position = 0;
        var loaded = ctx.Model.Load<CausalTransformerChain<CateTransformer>>(small, out _);
        foreach (var column in new[] { CateTransformer.CateColumn, CateTransformer.LowerColumn, CateTransformer.UpperColumn, CateTransformer.VarianceColumn })
            Assert.Equal(fitted.Transform(score).GetColumn<double>(column).ToArray(), loaded.Transform(score).GetColumn<double>(column).ToArray());
    }
}
