using System.Numerics.Tensors;
using Microsoft.ML.Causal.Numerics;

namespace Microsoft.ML.Causal.Segmentation.CoarsePersonalization;

/// <summary>
/// Plain k-means (squared Euclidean) on row-major N × d points for the segmentation baselines: k-means++ seeding, Lloyd
/// iterations until no label changes (at most 100), a few seeded restarts, the lowest within-cluster sum of squares kept.
/// </summary>
internal static class KMeansClustering
{
    public static int[] Cluster(ReadOnlySpan<double> points, int n, int d, int k, int seed, int restarts = 3, int maximumIterations = 100)
    {
        var bestLabels = new int[n];
        var labels = new int[n];
        var bestInertia = double.PositiveInfinity;
        var centers = new double[k * d];
        var sums = new double[k * d];
        var sizes = new int[k];
        var distance = new double[n];
        for (var r = 0; r < restarts; r++)
        {
            var random = new CausalRandom((long)seed + r);
            SeedCenters(points, n, d, k, random, centers, distance);
            labels.AsSpan().Fill(-1);
            var inertia = 0.0;
            for (var iteration = 0; iteration < maximumIterations; iteration++)
            {
                var changed = false;
                inertia = 0;
                Array.Clear(sums);
                Array.Clear(sizes);
                for (var i = 0; i < n; i++)
                {
                    var x = points.Slice(i * d, d);
                    var best = 0;
                    var bestDistance = double.PositiveInfinity;
                    for (var c = 0; c < k; c++)
                    {
                        var dist = SquaredDistance(x, centers.AsSpan(c * d, d));
                        if (dist < bestDistance)
                        {
                            bestDistance = dist;
                            best = c;
                        }
                    }
                    changed |= labels[i] != best;
                    labels[i] = best;
                    inertia += bestDistance;
                    sizes[best]++;
                    var sum = sums.AsSpan(best * d, d);
                    TensorPrimitives.Add(sum, x, sum);
                }
                if (!changed)
                    break;
                for (var c = 0; c < k; c++)
                {
                    if (sizes[c] > 0)
                        TensorPrimitives.Multiply(sums.AsSpan(c * d, d), 1.0 / sizes[c], centers.AsSpan(c * d, d));
                }
            }
            if (inertia < bestInertia)
            {
                bestInertia = inertia;
                labels.CopyTo(bestLabels, 0);
            }
        }
        return bestLabels;
    }

    private static void SeedCenters(ReadOnlySpan<double> points, int n, int d, int k, CausalRandom random, double[] centers, double[] distance)
    {
        points.Slice(random.NextInt(n) * d, d).CopyTo(centers.AsSpan(0, d));
        for (var i = 0; i < n; i++)
            distance[i] = SquaredDistance(points.Slice(i * d, d), centers.AsSpan(0, d));
        for (var c = 1; c < k; c++)
        {
            var total = 0.0;
            for (var i = 0; i < n; i++)
                total += distance[i];
            var pick = random.NextInt(n);
            if (total > 0)
            {
                var u = random.NextDouble() * total;
                for (var i = 0; i < n; i++)
                {
                    if (distance[i] <= 0)
                        continue;
                    pick = i;
                    u -= distance[i];
                    if (u < 0)
                        break;
                }
            }
            var center = centers.AsSpan(c * d, d);
            points.Slice(pick * d, d).CopyTo(center);
            for (var i = 0; i < n; i++)
                distance[i] = Math.Min(distance[i], SquaredDistance(points.Slice(i * d, d), center));
        }
    }

    private static double SquaredDistance(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        var dist = TensorPrimitives.Distance(x, y);
        return dist * dist;
    }
}
