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
        Console.WriteLine($"AIPW ATE minus the sample mean of τ, over {reps} draws (p = 10, σ = 1, 5 folds, default boosting nuisances, {threads} threads):");
        Console.WriteLine();
        Console.WriteLine($"| design | n | {string.Join(" | ", Combinations)} | ê by decile of e (true → mean ê) | mean μ̂₁ − μ₁ where e < 0.2 |");
        Console.WriteLine($"|---|---:|{string.Concat(Combinations.Select(_ => "---:|"))}---|---:|");
        foreach (var setting in settings)
        {
            var (design, rows) = (setting.Split(':')[0], setting.Split(':')[1]);
            var r = HarnessChild.Run("cate-nuisance", [design, rows, reps.ToString(CultureInfo.InvariantCulture), threads.ToString(CultureInfo.InvariantCulture)]);
            var cells = Enumerable.Range(0, Combinations.Length).Select(c => $"{F(r.Number($"mean{c}"), 4)} ± {F(r.Number($"se{c}"), 4)}");
            var deciles = Enumerable.Range(0, 10).Where(b => r.ContainsKey($"e{b}")).Select(b => $"{F(r.Number($"e{b}"), 2)} → {F(r.Number($"ehat{b}"), 3)}");
            Console.WriteLine($"| {design} | {rows} | {string.Join(" | ", cells)} | {string.Join(", ", deciles)} | {F(r.Number("muLow"), 3)} |");
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
        double muLow = 0;
        for (var rep = 0; rep < reps; rep++)
        {
            var sim = CateSetup.Draw(design, rows, 10, 1, CateSetup.TrainSeed(design, rows, rep));
            var cache = new NuisanceCache(sim.ToCateData(), new FinalStageOptions { BootstrapReplicates = 0 }, CateSetup.Context(rep + 1, threads), "cate-nuisance");
            var (mu, e) = (cache.ArmOutcomes, cache.Propensities);
            var truth = sim.Effect.Average();
            for (var c = 0; c < Combinations.Length; c++)
            {
                double sum = 0;
                for (var i = 0; i < rows; i++)
                {
                    var (mu1, mu0) = c is 1 or 3 ? TrueOutcomes(sim, i) : (mu[1][i], mu[0][i]);
                    var e1 = c >= 2 ? sim.Propensity[i] : e[1][i];
                    var y = sim.Outcome[i];
                    sum += mu1 - mu0 + (sim.Treatment[i] == 1 ? (y - mu1) / e1 : -(y - mu0) / (1 - e1));
                }
                errors[c][rep] = sum / rows - truth;
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
        Console.WriteLine(Line([.. pairs]));
        return 0;
    }

    /// <summary>μ₁ = b + τ/2 and μ₀ = b − τ/2 under Y = b + (W − ½)τ + ε.</summary>
    private static (double Mu1, double Mu0) TrueOutcomes(SimulatedExperiment sim, int i) =>
        (sim.Baseline[i] + sim.Effect[i] / 2, sim.Baseline[i] - sim.Effect[i] / 2);
}
