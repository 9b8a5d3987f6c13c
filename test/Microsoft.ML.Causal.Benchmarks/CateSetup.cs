using Microsoft.ML.Causal.Learners;
using Microsoft.ML.Causal.Learners.GradientBoosting;
using Microsoft.ML.Causal.Simulation;
using Microsoft.ML.Causal.Trainers;

namespace Microsoft.ML.Causal.Benchmarks;

/// <summary>
/// The designs and estimators of the CATE harnesses. Designs: Nie–Wager A–D and Wager–Athey's heterogeneity design
/// (design 2, "WA"), all generated as Y = b(x) + (W − ½)·τ(x) + σε (WA has b = 0). Estimators: the library's own
/// defaults (<see cref="CateDefaults"/> learners, 5 folds, propensities clipped to [0.01, 0.99]) with no bootstrap.
/// </summary>
internal static class CateSetup
{
    public static readonly string[] Designs = ["A", "B", "C", "D", "WA"];

    public static readonly string[] Methods = ["s", "t", "x", "r", "dr", "linear-dml"];

    /// <summary>One draw of <paramref name="design"/>.</summary>
    public static SimulatedExperiment Draw(string design, int rows, int dimensions, double noise, int seed) => design switch
    {
        "A" => CausalSimulations.NieWagerA(rows, dimensions, noise, seed),
        "B" => CausalSimulations.NieWagerB(rows, dimensions, noise, seed),
        "C" => CausalSimulations.NieWagerC(rows, dimensions, noise, seed),
        "D" => CausalSimulations.NieWagerD(rows, dimensions, noise, seed),
        "WA" => CausalSimulations.WagerAtheyHeterogeneous(rows, dimensions, noise, seed),
        _ => throw new ArgumentException($"Unknown design '{design}' (A, B, C, D, WA)."),
    };

    /// <summary>The seed of training draw <paramref name="rep"/> of a design at size <paramref name="rows"/>.</summary>
    public static int TrainSeed(string design, int rows, int rep) => CausalContext.DeriveSeed(CausalContext.DeriveSeed(DesignIndex(design), rows), rep + 1);

    /// <summary>The seed of a design's test set (the same for every training size).</summary>
    public static int TestSeed(string design) => CausalContext.DeriveSeed(DesignIndex(design), 0);

    /// <summary>
    /// The estimator <paramref name="method"/> with the library's default learners and no bootstrap replicates;
    /// a suffix ":K" (e.g. "dr:2") sets K cross-fitting folds instead of the default 5 ("causal-forest": grf's
    /// defaults, 2000 trees, OOB nuisance forests; no folds).
    /// </summary>
    public static ICateLearner Create(string method)
    {
        var parts = method.Split(':');
        var folds = parts.Length > 1 ? int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture) : 5;
        var hgbNuisances = new FinalStageOptions
        {
            BootstrapReplicates = 0, Folds = folds, OutcomeLearner = new GradientBoostingRegressionLearner(HistGradientBoostingDefaults),
            PropensityLearner = new GradientBoostingClassificationLearner(HistGradientBoostingDefaults),
        };
        return parts[0] switch
        {
            "s" => new SLearner(new MetaLearnerOptions { BootstrapReplicates = 0, Folds = folds }),
            "t" => new TLearner(new MetaLearnerOptions { BootstrapReplicates = 0, Folds = folds }),
            "x" => new XLearner(new FinalStageOptions { BootstrapReplicates = 0, Folds = folds }),
            "r" => new RLearner(new FinalStageOptions { BootstrapReplicates = 0, Folds = folds }),
            "dr" => new DRLearner(new FinalStageOptions { BootstrapReplicates = 0, Folds = folds }),
            "dr-hgb" => new DRLearner(hgbNuisances with { FinalLearner = new GradientBoostingRegressionLearner(HistGradientBoostingDefaults) }),
            "dr-hgb-nuisances" => new DRLearner(hgbNuisances),
            "linear-dml" => new LinearDml(new DmlOptions { BootstrapReplicates = 0, Folds = folds }),
            "causal-forest" => new Forests.CausalForest(new Forests.CausalForestOptions()),
            _ => throw new ArgumentException($"Unknown method '{method}' ({string.Join(", ", Methods)}, optionally with ':folds')."),
        };
    }

    /// <summary>
    /// scikit-learn's HistGradientBoosting defaults, which peer-baselines.md's EconML DRLearner ran with: up to 100
    /// trees, learning rate 0.1, 31 leaves, ≥ 20 rows per leaf, no L2, 255 bins, early stopping on a held-out 10 % after
    /// 10 rounds without improvement (scikit-learn stops early only above 10 000 rows; we always do). Method "dr-hgb"
    /// uses them for all three models, so that a comparison with <c>dr-sklearn.py</c> compares implementations;
    /// "dr-hgb-nuisances" for the propensity and outcome models only, with our default (smoothing) final stage.
    /// </summary>
    public static GradientBoostingOptions HistGradientBoostingDefaults { get; } = new()
    {
        NumberOfTrees = 100, LearningRate = 0.1, NumberOfLeaves = 31, MinRowsInLeaf = 20, EarlyStoppingRounds = 10, ValidationFraction = 0.1,
    };

    /// <summary>The mean squared error of τ̂ over the rows of <paramref name="test"/>.</summary>
    public static double Mse(CateModel model, SimulatedExperiment test)
    {
        var x = test.ToFeatureMatrix();
        double sum = 0;
        for (var i = 0; i < x.RowCount; i++)
        {
            var error = model.PredictCate(x.Row(i)) - test.Effect[i];
            sum += error * error;
        }
        return sum / x.RowCount;
    }

    /// <summary>A context with the seed and thread count (0: all cores).</summary>
    public static FitContext Context(int seed, int threads) => new() { Seed = seed, MaxDegreeOfParallelism = threads };

    private static int DesignIndex(string design) => Array.IndexOf(Designs, design) + 1;
}
