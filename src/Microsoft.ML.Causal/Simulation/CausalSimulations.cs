using Microsoft.ML.Causal.Numerics;

namespace Microsoft.ML.Causal.Simulation;

/// <summary>
/// Seeded generators of the standard benchmark designs with known τ(x) and e(x), for any n and d:
/// Nie and Wager's setups A–D (the R-learner paper) and Wager and Athey's three causal-forest designs.
/// The same seed always gives the same data.
/// </summary>
public static class CausalSimulations
{
    /// <summary>
    /// Nie–Wager setup A (hard nuisance, easy effect): X ~ U[0,1]^d, b = sin(πx₁x₂) + 2(x₃ − ½)² + x₄ + ½x₅,
    /// e = clip(sin(πx₁x₂), 0.1, 0.9), τ = (x₁ + x₂)/2; Y = b + (W − ½)τ + σε. Needs d ≥ 5.
    /// </summary>
    public static SimulatedExperiment NieWagerA(int rows, int dimensions = 6, double noise = 1, int seed = 0) =>
        Generate("Nie–Wager A", rows, dimensions, 5, noise, seed, uniform: true,
            x => Math.Sin(Math.PI * x[0] * x[1]) + 2 * (x[2] - 0.5) * (x[2] - 0.5) + x[3] + 0.5 * x[4],
            x => Math.Clamp(Math.Sin(Math.PI * x[0] * x[1]), 0.1, 0.9),
            x => (x[0] + x[1]) / 2, centered: true);

    /// <summary>
    /// Nie–Wager setup B (randomized trial): X ~ N(0, I_d), b = max(0, x₁ + x₂, x₃) + max(0, x₄ + x₅), e = ½,
    /// τ = x₁ + log(1 + e^{x₂}). Needs d ≥ 5.
    /// </summary>
    public static SimulatedExperiment NieWagerB(int rows, int dimensions = 6, double noise = 1, int seed = 0) =>
        Generate("Nie–Wager B", rows, dimensions, 5, noise, seed, uniform: false,
            x => Math.Max(Math.Max(0, x[0] + x[1]), x[2]) + Math.Max(0, x[3] + x[4]),
            _ => 0.5,
            x => x[0] + LogisticMath.Softplus(x[1]), centered: true);

    /// <summary>
    /// Nie–Wager setup C (easy propensity, hard baseline, constant effect): X ~ N(0, I_d),
    /// b = 2·log(1 + e^{x₁+x₂+x₃}), e = 1/(1 + e^{x₂+x₃}), τ = 1. Needs d ≥ 3.
    /// </summary>
    public static SimulatedExperiment NieWagerC(int rows, int dimensions = 6, double noise = 1, int seed = 0) =>
        Generate("Nie–Wager C", rows, dimensions, 3, noise, seed, uniform: false,
            x => 2 * LogisticMath.Softplus(x[0] + x[1] + x[2]),
            x => 1 / (1 + Math.Exp(x[1] + x[2])),
            _ => 1, centered: true);

    /// <summary>
    /// Nie–Wager setup D (unrelated arms): X ~ N(0, I_d), b = (max(0, x₁+x₂+x₃) + max(0, x₄+x₅))/2,
    /// e = 1/(1 + e^{−x₁} + e^{−x₂}), τ = max(0, x₁+x₂+x₃) − max(0, x₄+x₅). Needs d ≥ 5.
    /// </summary>
    public static SimulatedExperiment NieWagerD(int rows, int dimensions = 6, double noise = 1, int seed = 0) =>
        Generate("Nie–Wager D", rows, dimensions, 5, noise, seed, uniform: false,
            x => (Math.Max(0, x[0] + x[1] + x[2]) + Math.Max(0, x[3] + x[4])) / 2,
            x => 1 / (1 + Math.Exp(-x[0]) + Math.Exp(-x[1])),
            x => Math.Max(0, x[0] + x[1] + x[2]) - Math.Max(0, x[3] + x[4]), centered: true);

    /// <summary>
    /// Wager–Athey design 1 (confounding, no effect): X ~ U[0,1]^d, m = 2x₁ − 1, e = ¼(1 + β₂,₄(x₁)) with β₂,₄ the
    /// Beta(2, 4) density, τ = 0; Y = m + σε. Needs d ≥ 1.
    /// </summary>
    public static SimulatedExperiment WagerAtheyConfounded(int rows, int dimensions = 2, double noise = 1, int seed = 0) =>
        Generate("Wager–Athey 1", rows, dimensions, 1, noise, seed, uniform: true,
            x => 2 * x[0] - 1,
            x => 0.25 * (1 + 20 * x[0] * Math.Pow(1 - x[0], 3)),
            _ => 0, centered: false);

    /// <summary>
    /// Wager–Athey design 2 (heterogeneity in a trial): X ~ U[0,1]^d, e = ½, τ = ς(x₁)ς(x₂) with
    /// ς(u) = 1 + 1/(1 + e^{−20(u − 1/3)}); Y = (W − ½)τ + σε. Needs d ≥ 2.
    /// </summary>
    public static SimulatedExperiment WagerAtheyHeterogeneous(int rows, int dimensions = 2, double noise = 1, int seed = 0) =>
        Generate("Wager–Athey 2", rows, dimensions, 2, noise, seed, uniform: true,
            _ => 0, _ => 0.5,
            x => Varsigma(x[0], 20, 1.0 / 3) * Varsigma(x[1], 20, 1.0 / 3), centered: true);

    /// <summary>
    /// Wager–Athey design 3 (harder heterogeneity): as design 2 with ς(u) = 2/(1 + e^{−12(u − ½)}).
    /// </summary>
    public static SimulatedExperiment WagerAtheyHarder(int rows, int dimensions = 2, double noise = 1, int seed = 0) =>
        Generate("Wager–Athey 3", rows, dimensions, 2, noise, seed, uniform: true,
            _ => 0, _ => 0.5,
            x => 2 / (1 + Math.Exp(-12 * (x[0] - 0.5))) * 2 / (1 + Math.Exp(-12 * (x[1] - 0.5))), centered: true);

    private static double Varsigma(double u, double slope, double center) => 1 + 1 / (1 + Math.Exp(-slope * (u - center)));

    private delegate double Function(ReadOnlySpan<double> x);

    /// <summary>Y = b + (W − ½)τ + σε when <paramref name="centered"/>, else Y = b + Wτ + σε.</summary>
    private static SimulatedExperiment Generate(string design, int rows, int dimensions, int minimumDimensions, double noise, int seed, bool uniform,
        Function baseline, Function propensity, Function effect, bool centered)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        if (dimensions < minimumDimensions)
            throw new ArgumentOutOfRangeException(nameof(dimensions), dimensions, $"{design} needs at least {minimumDimensions} covariates.");
        ArgumentOutOfRangeException.ThrowIfNegative(noise);
        var random = new CausalRandom(seed);
        var x = new double[rows * dimensions];
        var w = new double[rows];
        var y = new double[rows];
        var tau = new double[rows];
        var e = new double[rows];
        var b = new double[rows];
        for (var i = 0; i < rows; i++)
        {
            var row = x.AsSpan(i * dimensions, dimensions);
            for (var j = 0; j < dimensions; j++)
                row[j] = uniform ? random.NextDouble() : random.NextGaussian();
            b[i] = baseline(row);
            e[i] = propensity(row);
            tau[i] = effect(row);
            w[i] = random.NextDouble() < e[i] ? 1 : 0;
            y[i] = b[i] + (centered ? w[i] - 0.5 : w[i]) * tau[i] + noise * random.NextGaussian();
        }
        return new SimulatedExperiment(design, rows, dimensions, x, w, y, tau, e, b);
    }
}
