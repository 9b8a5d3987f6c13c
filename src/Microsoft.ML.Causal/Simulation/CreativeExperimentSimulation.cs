using Microsoft.ML.Causal.Numerics;

namespace Microsoft.ML.Causal.Simulation;

/// <summary>
/// A seeded multi-creative experiment with known truth, for segment discovery (group-lasso segmentation): m
/// intended segments with nⱼ creatives each, people randomized uniformly to the creatives, and a binary response
/// from a logistic model βⱼₖ = γⱼ + δⱼₖ in which some creatives are consistent with their segment (δⱼₖ = 0)
/// and some are not.
/// </summary>
/// <remarks>
/// <para>Each person i is drawn independently:</para>
/// <list type="bullet">
/// <item>features xᵢ ~ N(0, I_p);</item>
/// <item>creative cᵢ uniform over the C = m·n creatives (creative c belongs to segment ⌊c/n⌋);</item>
/// <item>response yᵢ ~ Bernoulli(σ(βc₀ + βcᵀxᵢ)) with β = γ + δ.</item>
/// </list>
/// <para>
/// Truth: every centre has intercept γⱼ₀ = logit(<c>baseRate</c>) and slopes γⱼ = <c>signal</c>·e_{j mod p} (segment j
/// is about feature j); in every segment, <c>deviatingPerSegment</c> creatives chosen at random get a deviation δ
/// of Euclidean norm <c>deviation</c> in a random direction of (intercept, slopes) space; the others have δ = 0.
/// A person's true segment is argmaxⱼ (γⱼ₀ + γⱼᵀx), the lowest index on ties.
/// </para>
/// </remarks>
public static class CreativeExperimentSimulation
{
    /// <summary>Simulates the experiment; the same arguments always give the same people and truth.</summary>
    /// <param name="rows">People (≥ 1).</param>
    /// <param name="segments">m (≥ 1).</param>
    /// <param name="creativesPerSegment">n, creatives per segment (≥ 1).</param>
    /// <param name="features">p (≥ 1).</param>
    /// <param name="deviatingPerSegment">Creatives per segment that deviate from their centre (0 … n).</param>
    /// <param name="deviation">‖δ‖₂ of a deviating creative (≥ 0).</param>
    /// <param name="signal">The size of each centre's slope on its feature (default 1).</param>
    /// <param name="baseRate">The response rate of the centres at x = 0 (in (0, 1); default 0.2).</param>
    /// <param name="seed">The seed.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside its range.</exception>
    public static CreativeExperiment Generate(int rows, int segments = 3, int creativesPerSegment = 4, int features = 5, int deviatingPerSegment = 1,
        double deviation = 1, double signal = 1, double baseRate = 0.2, int seed = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(segments);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(creativesPerSegment);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(features);
        if (deviatingPerSegment < 0 || deviatingPerSegment > creativesPerSegment)
            throw new ArgumentOutOfRangeException(nameof(deviatingPerSegment), deviatingPerSegment, $"Between 0 and the {creativesPerSegment} creatives per segment.");
        if (!(deviation >= 0 && double.IsFinite(deviation)))
            throw new ArgumentOutOfRangeException(nameof(deviation), deviation, "The deviation must be a finite number ≥ 0.");
        if (!double.IsFinite(signal))
            throw new ArgumentOutOfRangeException(nameof(signal), signal, "The signal must be finite.");
        if (!(baseRate > 0 && baseRate < 1))
            throw new ArgumentOutOfRangeException(nameof(baseRate), baseRate, "The base rate must be in (0, 1).");
        var random = new CausalRandom(seed);
        var m = segments;
        var p = features;
        var c = m * creativesPerSegment;
        var centreIntercepts = new double[m];
        var centres = new double[m][];
        for (var j = 0; j < m; j++)
        {
            centreIntercepts[j] = Math.Log(baseRate / (1 - baseRate));
            centres[j] = new double[p];
            centres[j][j % p] = signal;
        }
        var creativeSegments = new int[c];
        var deviations = new double[c][];
        var deviates = new bool[c];
        for (var j = 0; j < m; j++)
        {
            var order = Enumerable.Range(0, creativesPerSegment).ToArray();
            random.Shuffle<int>(order);
            for (var k = 0; k < creativesPerSegment; k++)
            {
                var g = j * creativesPerSegment + k;
                creativeSegments[g] = j;
                deviations[g] = new double[p + 1];
            }
            for (var d = 0; d < deviatingPerSegment; d++)
            {
                var g = j * creativesPerSegment + order[d];
                var v = deviations[g];
                double ss = 0;
                for (var l = 0; l <= p; l++)
                {
                    v[l] = random.NextGaussian();
                    ss += v[l] * v[l];
                }
                var scale = deviation / Math.Sqrt(ss);
                for (var l = 0; l <= p; l++)
                    v[l] *= scale;
                deviates[g] = deviation > 0;
            }
        }
        var x = new double[(long)rows * p];
        var y = new double[rows];
        var shown = new int[rows];
        var truth = new int[rows];
        for (var i = 0; i < rows; i++)
        {
            var row = x.AsSpan(i * p, p);
            for (var l = 0; l < p; l++)
                row[l] = random.NextGaussian();
            var cr = random.NextInt(c);
            shown[i] = cr;
            var j = creativeSegments[cr];
            var eta = centreIntercepts[j] + deviations[cr][0];
            for (var l = 0; l < p; l++)
                eta += (centres[j][l] + deviations[cr][l + 1]) * row[l];
            y[i] = random.NextDouble() < LogisticMath.Sigmoid(eta) ? 1 : 0;
            truth[i] = CreativeExperiment.ArgMax(centreIntercepts, centres, row);
        }
        return new CreativeExperiment(x, p, y, shown, creativeSegments, centreIntercepts, centres, deviations, deviates, truth);
    }
}
