using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Microsoft.ML.Causal.Learners.Trees;

/// <summary>
/// The bins of one feature. Bin 0 holds missing values (NaN); bins 1 … <see cref="BinCount"/> hold values, bin
/// b covering (<c>UpperBounds[b − 2]</c>, <c>UpperBounds[b − 1]</c>]; the last upper bound is +∞. A split "bin ≤ t"
/// is the same as "value ≤ UpperBounds[t − 1]", which is how trees score raw values.
/// </summary>
internal sealed class FeatureBinning
{
    /// <summary>Rows looked at to place the bin bounds (evenly spaced rows beyond this many).</summary>
    public const int SampleSize = 200_000;

    public FeatureBinning(double[] upperBounds) => UpperBounds = upperBounds;

    /// <summary>Upper bound of each value bin, ascending; the last is +∞.</summary>
    public double[] UpperBounds { get; }

    /// <summary>Number of value bins (not counting the missing bin).</summary>
    public int BinCount => UpperBounds.Length;

    /// <summary>The bin of <paramref name="value"/>: 0 for NaN, else the first bin whose upper bound is ≥ the value.</summary>
    /// <remarks>
    /// Branch-free binary search: the side taken is data-dependent and unpredictable, so each step adds
    /// half or nothing by arithmetic instead of branching. The answer stays in [lo, lo + len − 1] (the last bound
    /// is +∞, so it exists).
    /// </remarks>
    public byte BinOf(double value)
    {
        if (double.IsNaN(value))
            return 0;
        ref var bounds = ref MemoryMarshal.GetArrayDataReference(UpperBounds);
        nint lo = 0;
        nint len = UpperBounds.Length;
        while (len > 1)
        {
            var half = len >>> 1;
            var above = Unsafe.Add(ref bounds, lo + half - 1) < value;
            lo += half * Unsafe.BitCast<bool, byte>(above);
            len -= half;
        }
        return (byte)(lo + 1);
    }

    /// <summary>
    /// Places at most <paramref name="maxBins"/> value bins: one per distinct value when there are few enough,
    /// else cut points that give each bin about the same number of sampled values (a value more frequent than
    /// that gets a bin of its own). Bounds sit halfway between neighbouring distinct values.
    /// </summary>
    public static FeatureBinning Fit(ReadOnlySpan<double> sortedValues, int maxBins)
    {
        // Distinct values and their counts.
        var distinct = new List<double>();
        var counts = new List<int>();
        foreach (var v in sortedValues)
        {
            if (distinct.Count > 0 && distinct[^1] == v)
                counts[^1]++;
            else
            {
                distinct.Add(v);
                counts.Add(1);
            }
        }
        if (distinct.Count == 0)
            return new FeatureBinning([double.PositiveInfinity]);
        var bounds = new List<double>();
        if (distinct.Count <= maxBins)
        {
            for (var i = 0; i + 1 < distinct.Count; i++)
                bounds.Add(Midpoint(distinct[i], distinct[i + 1]));
        }
        else
        {
            var remaining = sortedValues.Length;
            var binsLeft = maxBins;
            var inBin = 0;
            for (var i = 0; i + 1 < distinct.Count && binsLeft > 1; i++)
            {
                inBin += counts[i];
                var target = (double)remaining / binsLeft;
                // Close the bin when it is full, or when the next value alone would overfill it.
                if (inBin >= target || inBin + counts[i + 1] > 1.5 * target)
                {
                    bounds.Add(Midpoint(distinct[i], distinct[i + 1]));
                    remaining -= inBin;
                    binsLeft--;
                    inBin = 0;
                }
            }
        }
        bounds.Add(double.PositiveInfinity);
        return new FeatureBinning(bounds.ToArray());
    }

    private static double Midpoint(double a, double b)
    {
        var m = a + (b - a) / 2;
        // With neighbouring doubles the midpoint can round up to b; a bound must stay below b.
        return m < b ? m : a;
    }
}
