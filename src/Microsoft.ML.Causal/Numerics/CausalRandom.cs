namespace Microsoft.ML.Causal.Numerics;

/// <summary>
/// xoshiro256** (Blackman and Vigna), seeded through SplitMix64. A fixed algorithm of our own, so a seed gives
/// the same stream on every platform and .NET version (unlike <see cref="System.Random"/>). Not thread-safe:
/// each thread or task gets its own instance from a derived seed.
/// </summary>
internal sealed class CausalRandom
{
    private ulong _s0, _s1, _s2, _s3;

    public CausalRandom(long seed)
    {
        var sm = (ulong)seed;
        _s0 = SplitMix64(ref sm);
        _s1 = SplitMix64(ref sm);
        _s2 = SplitMix64(ref sm);
        _s3 = SplitMix64(ref sm);
    }

    /// <summary>The next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        var result = RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>A uniform double in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>A standard normal draw (Box–Muller on two uniforms; the second value is not kept, so each call uses exactly two).</summary>
    public double NextGaussian()
    {
        var u = 1 - NextDouble(); // (0, 1]
        var v = NextDouble();
        return Math.Sqrt(-2 * Math.Log(u)) * Math.Cos(2 * Math.PI * v);
    }

    /// <summary>A uniform integer in [0, <paramref name="maxExclusive"/>), without modulo bias (Lemire's method).</summary>
    public int NextInt(int maxExclusive)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxExclusive);
        var range = (ulong)maxExclusive;
        while (true)
        {
            var x = NextUInt64() >> 32;
            var m = x * range;
            var low = m & 0xFFFFFFFF;
            if (low >= range || low >= ((0x1_0000_0000UL - range) % range))
                return (int)(m >> 32);
        }
    }

    /// <summary>Shuffles <paramref name="values"/> in place (Fisher–Yates).</summary>
    public void Shuffle<T>(Span<T> values)
    {
        for (var i = values.Length - 1; i > 0; i--)
        {
            var j = NextInt(i + 1);
            (values[i], values[j]) = (values[j], values[i]);
        }
    }

    private static ulong SplitMix64(ref ulong state)
    {
        var z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));
}
