using System.Runtime.CompilerServices;
namespace Microsoft.ML.Causal.Forests;

/// <summary>
/// The current node's rows gathered into position order (position i is the node's i-th row): weights, outcome,
/// treatment (<see cref="TreatmentCount"/> per position) and the pseudo-outcomes the relabeling writes
/// (<see cref="ResponseCount"/> per position). One instance per tree trainer, grown as needed and reused for
/// every node, so the node loop allocates nothing per row.
/// </summary>
internal sealed class NodeSamples(int treatmentCount, int responseCount)
{
    public int Count { get; private set; }

    public int TreatmentCount { get; } = treatmentCount;

    public int ResponseCount { get; } = responseCount;

    public double[] Weight { get; private set; } = [];

    public double[] Outcome { get; private set; } = [];

    public double[] Treatment { get; private set; } = [];

    public double[] Responses { get; private set; } = [];

    /// <summary>Gathers <paramref name="rows"/> of <paramref name="data"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Gather(ForestData data, ReadOnlySpan<int> rows)
    {
        var n = rows.Length;
        Count = n;
        if (Weight.Length < n)
        {
            var size = Math.Max(n, 2 * Weight.Length);
            Weight = new double[size];
            Outcome = new double[size];
            Treatment = new double[size * TreatmentCount];
            Responses = new double[size * ResponseCount];
        }
        var y = data.Outcome;
        var w = data.Weights;
        for (var i = 0; i < n; i++)
        {
            var r = rows[i];
            Outcome[i] = y[r];
            Weight[i] = w is null ? 1.0 : w[r];
        }
        var k = TreatmentCount;
        if (k == 1)
        {
            var t = data.Treatment!;
            for (var i = 0; i < n; i++)
                Treatment[i] = t[rows[i]];
        }
        else if (k > 1)
        {
            var t = data.Treatment!;
            for (var i = 0; i < n; i++)
                t.AsSpan(rows[i] * k, k).CopyTo(Treatment.AsSpan(i * k, k));
        }
    }
}
