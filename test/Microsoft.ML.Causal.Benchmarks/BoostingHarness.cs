using System.Diagnostics;
using System.Globalization;
using Microsoft.ML.Causal.Learners;
using Microsoft.ML.Causal.Learners.GradientBoosting;
using Microsoft.ML.Causal.Numerics;
using static Microsoft.ML.Causal.Benchmarks.HarnessChild;

namespace Microsoft.ML.Causal.Benchmarks;

/// <summary>
/// Whole-fit harness for gradient boosting (issue 3): n × 20 features, a Friedman-type regression target and a
/// logistic binary target, fit on 2 threads; reports fit seconds, prediction throughput, held-out RMSE / AUC.
/// Writes the same data as CSV (label first) so XGBoost's command-line tool can fit it side by side.
/// </summary>
internal static class BoostingHarness
{
    public const int Features = 20;

    public static int Run(string[] args)
    {
        var rows = Arg(args, "--rows", 1_000_000);
        var trees = Arg(args, "--trees", 500);
        var threads = Arg(args, "--threads", 2);
        var task = Text(args, "--task") ?? "regression";
        var csvDir = Text(args, "--csv");
        var binary = task == "binary";
        var (train, trainY) = Generate(rows, seed: 1, binary);
        var (test, testY) = Generate(200_000, seed: 2, binary);
        if (csvDir is not null)
        {
            WriteCsv(Path.Combine(csvDir, $"{task}-train.csv"), train, trainY);
            WriteCsv(Path.Combine(csvDir, $"{task}-test.csv"), test, testY);
        }
        var options = new GradientBoostingOptions { NumberOfTrees = trees, NumberOfLeaves = 31, LearningRate = 0.1 };
        var context = new FitContext { MaxDegreeOfParallelism = threads, Seed = 1 };
        var data = new TrainingSet(train, trainY);
        var start = Stopwatch.StartNew();
        Func<ReadOnlySpan<double>, double> predict;
        if (args.Contains("--forest"))
        {
            var forest = new Learners.RandomForest.RandomForestRegressionLearner(new Learners.RandomForest.RandomForestOptions { NumberOfTrees = trees })
                .FitWithOutOfBag(data, context).Model;
            predict = x => forest.Predict(x);
        }
        else if (binary)
        {
            var model = new GradientBoostingClassificationLearner(options).FitModel(data, context);
            predict = x => model.PredictProbability(x);
        }
        else
        {
            var model = new GradientBoostingRegressionLearner(options).FitModel(data, context);
            predict = x => model.Predict(x);
        }
        var fit = start.Elapsed.TotalSeconds;
        start.Restart();
        var predictions = new double[test.RowCount];
        for (var i = 0; i < test.RowCount; i++)
            predictions[i] = predict(test.Row(i));
        var predictSeconds = start.Elapsed.TotalSeconds;
        // Bit-level fingerprint of the held-out predictions: a kernel change that must not alter the model keeps it.
        var fingerprint = predictions.Aggregate(17UL, (h, v) => (h ^ (ulong)BitConverter.DoubleToInt64Bits(v)) * 1099511628211UL);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"prediction fingerprint {fingerprint:X16}"));
        var quality = binary && !args.Contains("--forest")
            ? $"AUC {Auc(predictions, testY):F4}"
            : $"RMSE {Math.Sqrt(predictions.Select((p, i) => (p - testY[i]) * (p - testY[i])).Average()):F4}";
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{task}: {rows:N0} rows × {Features}, {trees} trees, 31 leaves, lr 0.1, {threads} threads: fit {fit:F1} s, predict {test.RowCount / predictSeconds:N0} rows/s (one thread), held-out {quality}, peak RSS {PeakResidentMb():F0} MB"));
        return 0;
    }

    /// <summary>20 uniform features; regression y = Friedman #1 on the first five + noise σ = 1; binary y ~ Bernoulli(σ(f − mean)).</summary>
    public static (FeatureMatrix X, double[] Y) Generate(int n, int seed, bool binary)
    {
        var r = new CausalRandom(seed);
        var x = new double[n * Features];
        var y = new double[n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < Features; j++)
                x[i * Features + j] = r.NextDouble();
            var row = x.AsSpan(i * Features, Features);
            var f = 10 * Math.Sin(Math.PI * row[0] * row[1]) + 20 * (row[2] - 0.5) * (row[2] - 0.5) + 10 * row[3] + 5 * row[4];
            var noise = Math.Sqrt(-2 * Math.Log(1 - r.NextDouble())) * Math.Cos(2 * Math.PI * r.NextDouble());
            y[i] = binary ? (r.NextDouble() < 1 / (1 + Math.Exp(-(f - 14.4) / 2)) ? 1 : 0) : f + noise;
        }
        return (new FeatureMatrix(x, n, Features), y);
    }

    private static void WriteCsv(string path, FeatureMatrix x, double[] y)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var writer = new StreamWriter(path);
        var line = new System.Text.StringBuilder();
        for (var i = 0; i < x.RowCount; i++)
        {
            line.Clear().Append(y[i].ToString("R", CultureInfo.InvariantCulture));
            foreach (var v in x.Row(i))
                line.Append(',').Append(v.ToString("R", CultureInfo.InvariantCulture));
            writer.WriteLine(line);
        }
    }

    private static double Auc(double[] scores, double[] labels)
    {
        var order = Enumerable.Range(0, scores.Length).OrderBy(i => scores[i]).ToArray();
        double rankSum = 0, positives = labels.Sum();
        for (var k = 0; k < order.Length; k++)
        {
            if (labels[order[k]] == 1)
                rankSum += k + 1;
        }
        return (rankSum - positives * (positives + 1) / 2) / (positives * (labels.Length - positives));
    }
}
