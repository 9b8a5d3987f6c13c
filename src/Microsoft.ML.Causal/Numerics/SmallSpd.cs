namespace Microsoft.ML.Causal.Numerics;

/// <summary>
/// Cholesky factorization and solves for small symmetric positive-definite k × k matrices stored row-major in
/// spans (the multi-arm forest's per-node and per-prediction systems, k = number of effects), without allocation.
/// </summary>
internal static class SmallSpd
{
    /// <summary>
    /// Factors <paramref name="a"/> (k × k, row-major, symmetric) in place into its lower Cholesky factor L (A = LLᵀ;
    /// the upper triangle is left as it was). False when a pivot is not above <paramref name="relativeTolerance"/>
    /// times its diagonal entry, i.e. the matrix is singular or nearly so.
    /// </summary>
    public static bool Factor(Span<double> a, int k, double relativeTolerance)
    {
        for (var j = 0; j < k; j++)
        {
            var diagonal = a[j * k + j];
            var pivot = diagonal;
            for (var m = 0; m < j; m++)
                pivot -= a[j * k + m] * a[j * k + m];
            if (!(pivot > relativeTolerance * diagonal) || !(pivot > 0))
                return false;
            var l = Math.Sqrt(pivot);
            a[j * k + j] = l;
            for (var i = j + 1; i < k; i++)
            {
                var s = a[i * k + j];
                for (var m = 0; m < j; m++)
                    s -= a[i * k + m] * a[j * k + m];
                a[i * k + j] = s / l;
            }
        }
        return true;
    }

    /// <summary>Solves LLᵀx = b in place (<paramref name="b"/> becomes x) with the factor from <see cref="Factor"/>.</summary>
    public static void Solve(ReadOnlySpan<double> factor, int k, Span<double> b)
    {
        for (var i = 0; i < k; i++)
        {
            var s = b[i];
            for (var m = 0; m < i; m++)
                s -= factor[i * k + m] * b[m];
            b[i] = s / factor[i * k + i];
        }
        for (var i = k - 1; i >= 0; i--)
        {
            var s = b[i];
            for (var m = i + 1; m < k; m++)
                s -= factor[m * k + i] * b[m];
            b[i] = s / factor[i * k + i];
        }
    }

    /// <summary>The inverse (k × k, row-major) from the factor, into <paramref name="inverse"/>.</summary>
    public static void Invert(ReadOnlySpan<double> factor, int k, Span<double> inverse)
    {
        Span<double> column = stackalloc double[k];
        for (var j = 0; j < k; j++)
        {
            column.Clear();
            column[j] = 1;
            Solve(factor, k, column);
            for (var i = 0; i < k; i++)
                inverse[i * k + j] = column[i];
        }
    }
}
