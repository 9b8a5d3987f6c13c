using System.Globalization;
using Microsoft.ML.Causal.Simulation;
using Microsoft.ML.Causal.Trainers;
using static Microsoft.ML.Causal.Benchmarks.HarnessChild;

namespace Microsoft.ML.Causal.Benchmarks;

/// <summary>
/// Diagnostic harness for the bias of the AIPW average effect every CATE model reports: on repeated draws it
/// cross-fits the default nuisances (μ̂₀, μ̂₁, ê; the estimators' own cache) and evaluates the AIPW mean with each
/// nuisance learned or replaced by the truth, so a bias that appears only when both are learned is the product of
/// their errors. Also prints the calibration of ê by decile of the true e(x) and the error of μ̂₁ where e(x) &lt; 0.2.
/// </summary>
internal static class CateNuisanceHarness
{
    private static readonly string[] Combinations = ["learned μ̂, learned ê", "true μ, learned ê", "learned μ̂, true e", "true μ, true e"];

    public static int Run(string[] args)
    {
        var settings = List(args, "--settings", "A:2000", "C:10000");
        var reps = Arg(args, "--reps", 30);
        var threads = Arg(args, "--threads", 2);
        var propensity = Text(args, "--propensity") ?? "default";
        var outcome = Text(args, "--outcome") ?? "default";
        Console.WriteLine($"Propensity learner: {propensity}; outcome learner: {outcome}.");
        Console.WriteLine($"AIPW ATE minus the sample mean of τ, over {reps} draws (p = 10, σ = 1, 5 folds, default boosting nuisances, {threads} threads):");
        Console.WriteLine();
        Console.WriteLine($"| design | n | {string.Join(" | ", Combinations)} | ê by decile of e (true → mean ê) | mean μ̂₁ − μ₁ where e < 0.2 |");
        Console.WriteLine($"|---|---:|{string.Concat(Combinations.Select(_ => "---:|"))}---|---:|");
        foreach (var setting in settings)
        {
            var (design, rows) = (setting.Split(':')[0], setting.Split(':')[1]);
            var r = HarnessChild.Run("cate-nuisance", [design, rows, reps.ToString(CultureInfo.InvariantCulture), threads.ToString(CultureInfo.InvariantCulture), propensity, outcome, Text(args, "--calibrate") ?? "none"]);
            var cells = Enumerable.Range(0, Combinations.Length).Select(c => $"{F(r.Number($"mean{c}"), 4)} ± {F(r.Number($"se{c}"), 4)}");
            var deciles = Enumerable.Range(0, 10).Where(b => r.ContainsKey($"e{b}")).Select(b => $"{F(r.Number($"e{b}"), 2)} → {F(r.Number($"ehat{b}"), 3)}");
            Console.WriteLine($"| {design} | {rows} | {string.Join(" | ", cells)} | {string.Join(", ", deciles)} | {F(r.Number("muLow"), 3)} | coverage {F(r.Number("coverage"), 3)} |");
        }
        Console.WriteLine();
        Console.WriteLine("Each cell: mean error ± its standard error over the draws.");
        return 0;
    }

    /// <summary>In the child: all draws of one design and size.</summary>
    public static int RunChild(string[] args)
    {
        var design = args[0];
        var (rows, reps, threads) = (int.Parse(args[1], CultureInfo.InvariantCulture), int.Parse(args[2], CultureInfo.InvariantCulture), int.Parse(args[3], CultureInfo.InvariantCulture));
        var errors = Combinations.Select(_ => new double[reps]).ToArray();
        var (eSum, eHatSum, eCount) = (new double[10], new double[10], new double[10]);
        double muLow = 0, covered = 0;
        for (var rep = 0; rep < reps; rep++)
        {
            var sim = CateSetup.Draw(design, rows, 10, 1, CateSetup.TrainSeed(design, rows, rep));
            var options = new FinalStageOptions { BootstrapReplicates = 0, PropensityLearner = Propensity(args[4]), OutcomeLearner = Outcome(args[5]) };
            var cache = new NuisanceCache(sim.ToCateData(), options, CateSetup.Context(rep + 1, threads), "cate-nuisance");
            var (mu, e) = (args[5] == "pooled" ? Pooled(sim, cache.Folds, CateSetup.Context(rep + 1, threads)) : cache.ArmOutcomes, cache.Propensities);
            if (args.Length > 6 && args[6] == "platt")
                e = [e[0], Platt(e[1], sim.Treatment)];
            var truth = sim.Effect.Average();
            for (var c = 0; c < Combinations.Length; c++)
            {
                double sum = 0, sumSq = 0;
                for (var i = 0; i < rows; i++)
                {
                    var (mu1, mu0) = c is 1 or 3 ? TrueOutcomes(sim, i) : (mu[1][i], mu[0][i]);
                    var e1 = c >= 2 ? sim.Propensity[i] : e[1][i];
                    var y = sim.Outcome[i];
                    var score = mu1 - mu0 + (sim.Treatment[i] == 1 ? (y - mu1) / e1 : -(y - mu0) / (1 - e1));
                    (sum, sumSq) = (sum + score, sumSq + score * score);
                }
                errors[c][rep] = sum / rows - truth;
                if (c == 0)
                {
                    var se = Math.Sqrt((sumSq / rows - sum / rows * (sum / rows)) / (rows - 1));
                    covered += Math.Abs(sum / rows - truth) <= 1.959964 * se ? 1.0 / reps : 0;
                }
            }
            double low = 0;
            var lowCount = 0;
            for (var i = 0; i < rows; i++)
            {
                var bin = Math.Min(9, (int)(sim.Propensity[i] * 10));
                (eSum[bin], eHatSum[bin], eCount[bin]) = (eSum[bin] + sim.Propensity[i], eHatSum[bin] + e[1][i], eCount[bin] + 1);
                if (sim.Propensity[i] < 0.2)
                {
                    low += mu[1][i] - TrueOutcomes(sim, i).Mu1;
                    lowCount++;
                }
            }
            muLow += lowCount > 0 ? low / lowCount / reps : double.NaN;
        }
        var pairs = new List<(string, double)>();
        for (var c = 0; c < Combinations.Length; c++)
        {
            var mean = errors[c].Average();
            var sd = Math.Sqrt(errors[c].Sum(v => (v - mean) * (v - mean)) / (reps - 1));
            pairs.Add(($"mean{c}", mean));
            pairs.Add(($"se{c}", sd / Math.Sqrt(reps)));
        }
        for (var b = 0; b < 10; b++)
        {
            if (eCount[b] > 0)
            {
                pairs.Add(($"e{b}", eSum[b] / eCount[b]));
                pairs.Add(($"ehat{b}", eHatSum[b] / eCount[b]));
            }
        }
        pairs.Add(("muLow", muLow));
        pairs.Add(("coverage", covered));
        Console.WriteLine(Line([.. pairs]));
        return 0;
    }

    /// <summary>
    /// Diagnostic: held-out log loss and tail calibration of the boosting propensity by number of trees, on one draw
    /// (80 % train, 20 % held out). Arguments: design, rows, draw, then leaves, min rows per leaf, learning rate,
    /// trees and the print interval of the full (no early stopping) fit, e.g. <c>prop-curve C 10000 0 31 20 0.05 400 20</c>.
    /// </summary>
    public static int Curve(string[] args)
    {
        var (design, rows, rep) = (args[0], int.Parse(args[1], CultureInfo.InvariantCulture), int.Parse(args[2], CultureInfo.InvariantCulture));
        var sim = CateSetup.Draw(design, rows, 10, 1, CateSetup.TrainSeed(design, rows, rep));
        var matrix = sim.ToFeatureMatrix();
        var w = (double[])sim.Treatment;
        var test = Enumerable.Range(0, rows).Where(r => r % 5 == 0).ToArray();
        var train = Enumerable.Range(0, rows).Where(r => r % 5 != 0).ToArray();
        var es = (Learners.GradientBoosting.BoostedTreesModel)CateDefaults.PropensityLearner().Fit(new Learners.TrainingSet(matrix, w) { Rows = train }, CateSetup.Context(1, 2));
        Console.WriteLine($"early stopping keeps {es.TreeCount} trees");
        var full = (Learners.GradientBoosting.BoostedTreesModel)new Learners.GradientBoosting.GradientBoostingClassificationLearner(CateDefaults.Nuisance with { EarlyStoppingRounds = 0, ValidationFraction = 0, NumberOfTrees = int.Parse(args[6], CultureInfo.InvariantCulture), NumberOfLeaves = int.Parse(args[3], CultureInfo.InvariantCulture), MinRowsInLeaf = int.Parse(args[4], CultureInfo.InvariantCulture), LearningRate = double.Parse(args[5], CultureInfo.InvariantCulture) })
            .Fit(new Learners.TrainingSet(matrix, w) { Rows = train }, CateSetup.Context(1, 2));
        var score = test.Select(_ => full.Ensemble.Bias).ToArray();
        for (var m = 0; m < full.TreeCount; m++)
        {
            for (var i = 0; i < test.Length; i++)
                score[i] += full.Ensemble.Trees[m].Predict(matrix.Row(test[i]));
            if ((m + 1) % int.Parse(args[7], CultureInfo.InvariantCulture) != 0)
                continue;
            double loss = 0, lowE = 0, lowHat = 0, highE = 0, highHat = 0;
            int low = 0, high = 0;
            for (var i = 0; i < test.Length; i++)
            {
                var p = 1 / (1 + Math.Exp(-score[i]));
                var y = w[test[i]];
                loss -= y * Math.Log(p) + (1 - y) * Math.Log(1 - p);
                var e = sim.Propensity[test[i]];
                if (e < 0.15) { lowE += e; lowHat += p; low++; }
                if (e > 0.85) { highE += e; highHat += p; high++; }
            }
            Console.WriteLine($"{m + 1,4} trees: log loss {loss / test.Length:F4}  e<0.15: {lowE / low:F3} -> {lowHat / low:F3}   e>0.85: {highE / high:F3} -> {highHat / high:F3}");
        }
        return 0;
    }

    /// <summary>μ̂₀, μ̂₁ from one cross-fitted model of E[Y | X, W] (EconML's DRLearner default), predicted at W = 0 and 1.</summary>
    private static double[][] Pooled(SimulatedExperiment sim, int[] folds, Learners.FitContext context)
    {
        var (n, d) = (sim.RowCount, sim.Dimensions);
        var values = new double[n * (d + 1)];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < d; j++)
                values[i * (d + 1) + j] = sim.Features[i * d + j];
            values[i * (d + 1) + d] = sim.Treatment[i];
        }
        var matrix = new Learners.FeatureMatrix(values, n, d + 1);
        var mu = new[] { new double[n], new double[n] };
        var k = folds.Max() + 1;
        var x = new double[d + 1];
        for (var f = 0; f < k; f++)
        {
            var rows = Enumerable.Range(0, n).Where(r => folds[r] != f).ToArray();
            var model = CateDefaults.OutcomeLearner().Fit(new Learners.TrainingSet(matrix, (double[])sim.Outcome) { Rows = rows }, context with { Seed = f + 7 });
            for (var i = 0; i < n; i++)
            {
                if (folds[i] != f)
                    continue;
                matrix.Row(i).CopyTo(x);
                for (var a = 0; a < 2; a++)
                {
                    x[d] = a;
                    mu[a][i] = model.Predict(x);
                }
            }
        }
        return mu;
    }

    /// <summary>Platt scaling of out-of-fold propensities: logistic regression of W on logit ê (Newton, two parameters).</summary>
    private static double[] Platt(double[] e, IReadOnlyList<double> w)
    {
        var z = e.Select(v => Math.Log(v / (1 - v))).ToArray();
        double a = 0, b = 1;
        for (var it = 0; it < 50; it++)
        {
            double g0 = 0, g1 = 0, h00 = 0, h01 = 0, h11 = 0;
            for (var i = 0; i < z.Length; i++)
            {
                var p = 1 / (1 + Math.Exp(-(a + b * z[i])));
                var r = w[i] - p;
                var v = p * (1 - p);
                (g0, g1, h00, h01, h11) = (g0 + r, g1 + r * z[i], h00 + v, h01 + v * z[i], h11 + v * z[i] * z[i]);
            }
            var det = h00 * h11 - h01 * h01;
            var (da, db) = ((h11 * g0 - h01 * g1) / det, (h00 * g1 - h01 * g0) / det);
            (a, b) = (a + da, b + db);
            if (Math.Abs(da) + Math.Abs(db) < 1e-10)
                break;
        }
        return z.Select(v => Math.Clamp(1 / (1 + Math.Exp(-(a + b * v))), 0.01, 0.99)).ToArray();
    }

    /// <summary>Candidate propensity learners by name ("default" = the library's).</summary>
    private static Learners.IClassificationLearner? Propensity(string name) => name switch
    {
        _ when name.StartsWith("under", StringComparison.Ordinal) => new Learners.GradientBoosting.GradientBoostingClassificationLearner(CateDefaults.Nuisance with { EarlyStoppingTreeFactor = double.Parse(name[5..], CultureInfo.InvariantCulture) }),
        "default" => null,
        "boost-fast" => new Learners.GradientBoosting.GradientBoostingClassificationLearner(CateDefaults.Nuisance with { LearningRate = 0.1, MinRowsInLeaf = 5, EarlyStoppingRounds = 50 }),
        "boost-fixed" => new Learners.GradientBoosting.GradientBoostingClassificationLearner(CateDefaults.Nuisance with { NumberOfTrees = 200, LearningRate = 0.05, EarlyStoppingRounds = 0, ValidationFraction = 0 }),
        "shallow7" => new Learners.GradientBoosting.GradientBoostingClassificationLearner(CateDefaults.Nuisance with { NumberOfLeaves = 7 }),
        "shallow3" => new Learners.GradientBoosting.GradientBoostingClassificationLearner(CateDefaults.Nuisance with { NumberOfLeaves = 3, LearningRate = 0.1 }),
        "forest" => new Learners.RandomForest.RandomForestProbabilityLearner(new Learners.RandomForest.RandomForestOptions { NumberOfTrees = 500 }),
        "logistic" => new Learners.Linear.LogisticRegressionLearner(),
        _ => throw new ArgumentException($"Unknown propensity learner '{name}'."),
    };

    /// <summary>Candidate outcome learners by name ("default" = the library's).</summary>
    private static Learners.IRegressionLearner? Outcome(string name) => name switch
    {
        "default" => null,
        "boost-fast" => new Learners.GradientBoosting.GradientBoostingRegressionLearner(CateDefaults.Nuisance with { LearningRate = 0.1, MinRowsInLeaf = 5, EarlyStoppingRounds = 50 }),
        "boost-fixed" => new Learners.GradientBoosting.GradientBoostingRegressionLearner(CateDefaults.Nuisance with { NumberOfTrees = 200, LearningRate = 0.05, EarlyStoppingRounds = 0, ValidationFraction = 0 }),
        "forest" => new Learners.RandomForest.RandomForestRegressionLearner(new Learners.RandomForest.RandomForestOptions { NumberOfTrees = 500 }),
        "pooled" => null,
        "shallow7" => new Learners.GradientBoosting.GradientBoostingRegressionLearner(CateDefaults.Nuisance with { NumberOfLeaves = 7 }),
        _ => throw new ArgumentException($"Unknown outcome learner '{name}'."),
    };

    /// <summary>μ₁ = b + τ/2 and μ₀ = b − τ/2 under Y = b + (W − ½)τ + ε.</summary>
    private static (double Mu1, double Mu0) TrueOutcomes(SimulatedExperiment sim, int i) =>
        (sim.Baseline[i] + sim.Effect[i] / 2, sim.Baseline[i] - sim.Effect[i] / 2);
}
