using MathNet.Numerics.LinearAlgebra;

namespace Microsoft.ML.Causal.Learners.Linear;

/// <summary>Weighted cross products of a <see cref="LinearDesign"/>, and the collinearity check of least squares.</summary>
internal static class GramMatrix
{
    /// <summary>Pivots of the Cholesky factorization below this (the Gram matrix has unit diagonal) mark a column as collinear: R² &gt; 1 − 1e-10.</summary>
    internal const double CollinearityTolerance = 1e-10;

    /// <summary>G[a, b] = Σ w_i x̃_i,ca x̃_i,cb over the kept columns <paramref name="columns"/>, times row factors <paramref name="rowFactors"/> when given.</summary>
    public static Matrix<double> Compute(LinearDesign d, int[] columns, ReadOnlySpan<double> rowFactors = default)
    {
        var q = columns.Length;
        var g = Matrix<double>.Build.Dense(q, q);
        var weighted = new double[d.N];
        for (var a = 0; a < q; a++)
        {
            var ca = d.Column(columns[a]);
            for (var i = 0; i < d.N; i++)
                weighted[i] = d.W[i] * ca[i] * (rowFactors.IsEmpty ? 1 : rowFactors[i]);
            for (var b = 0; b <= a; b++)
            {
                var cb = d.Column(columns[b]);
                double s = 0;
                for (var i = 0; i < d.N; i++)
                    s += weighted[i] * cb[i];
                g[a, b] = s;
                g[b, a] = s;
            }
        }
        return g;
    }

    /// <summary>
    /// Throws when a column of the (standardized, unit-diagonal) Gram matrix <paramref name="gram"/> is a linear
    /// combination of earlier ones, naming every column involved.
    /// </summary>
    /// <exception cref="DataValidationException">The columns are collinear.</exception>
    public static void CheckFullRank(Matrix<double> gram, int[] columns, FeatureMatrix features, string learner)
    {
        var dependent = Factor(gram, stopAtFirst: true);
        if (dependent.Count > 0)
            throw Collinear(gram, columns, dependent[0], features, learner);
    }

    /// <summary>
    /// The positions (into <paramref name="gram"/>) of a maximal set of linearly independent columns, taken in
    /// order: a column that is a combination of the earlier kept ones is skipped.
    /// </summary>
    public static int[] IndependentColumns(Matrix<double> gram)
    {
        var dependent = Factor(gram, stopAtFirst: false);
        return [.. Enumerable.Range(0, gram.RowCount).Except(dependent)];
    }

    /// <summary>Cholesky factorization in column order that skips dependent columns; returns their positions.</summary>
    private static List<int> Factor(Matrix<double> gram, bool stopAtFirst)
    {
        var q = gram.RowCount;
        var l = new double[q, q];
        var dependent = new List<int>();
        for (var j = 0; j < q; j++)
        {
            var pivot = gram[j, j];
            for (var k = 0; k < j; k++)
                pivot -= l[j, k] * l[j, k];
            if (pivot <= CollinearityTolerance * gram[j, j])
            {
                dependent.Add(j);
                if (stopAtFirst)
                    break;
                continue; // column j of l stays 0, so later columns ignore it
            }
            var root = Math.Sqrt(pivot);
            l[j, j] = root;
            for (var i = j + 1; i < q; i++)
            {
                var s = gram[i, j];
                for (var k = 0; k < j; k++)
                    s -= l[i, k] * l[j, k];
                l[i, j] = s / root;
            }
        }
        return dependent;
    }

    private static DataValidationException Collinear(Matrix<double> gram, int[] columns, int j, FeatureMatrix features, string learner)
    {
        // Column j regressed on the earlier (independent) columns: G[S,S] c = G[S,j]; the columns with a
        // non-negligible c are the ones involved.
        var involved = new List<string>();
        if (j > 0)
        {
            var c = gram.SubMatrix(0, j, 0, j).Cholesky().Solve(gram.SubMatrix(0, j, j, 1).Column(0));
            var largest = c.AbsoluteMaximum();
            for (var k = 0; k < j; k++)
            {
                if (Math.Abs(c[k]) > 1e-6 * largest)
                    involved.Add(features.ColumnNames[columns[k]]);
            }
        }
        var name = features.ColumnNames[columns[j]];
        var others = involved.Count == 0 ? "the intercept" : string.Join(", ", involved.Select(s => $"'{s}'"));
        return new DataValidationException(learner, name, null,
            $"the feature column is (almost) a linear combination of {others} on the rows fitted on (collinear columns: '{name}'{string.Concat(involved.Select(s => $", '{s}'"))}), so least squares cannot separate their coefficients.",
            "Drop one of these columns, or set L2Regularization > 0 (ridge).");
    }
}
