using MathNet.Numerics.LinearAlgebra;

namespace Microsoft.ML.Causal.Learners.Linear;

/// <summary>
/// Weighted ordinary least squares or ridge regression (see <see cref="LeastSquaresOptions"/> for the objective
/// and the scaling of λ). Features are standardized internally and the normal equations are solved by Cholesky
/// factorization; coefficients are reported on the original scale. Columns constant over the rows with positive
/// weight get coefficient 0 (they are indistinguishable from the intercept).
/// <para>
/// For ordinary least squares (λ = 0) the model carries the HC1 heteroskedasticity-robust covariance
/// V = n / (n − k) · (XᵀWX)⁻¹ (Σ_i w_i² e_i² x_i x_iᵀ) (XᵀWX)⁻¹, with X including the intercept column, e_i the
/// residuals, n the number of rows with positive weight and k the number of estimated parameters. Squared weights
/// in the middle treat the weights as sampling (inverse-probability) weights, as Stata's <c>pweight</c> does;
/// with all weights 1 it is the usual HC1 (White's estimator with the n / (n − k) correction).
/// </para>
/// </summary>
public sealed class LeastSquaresRegressionLearner : IRegressionLearner
{
    /// <summary>Creates the learner; options are checked when it fits.</summary>
    public LeastSquaresRegressionLearner(LeastSquaresOptions? options = null) => Options = options ?? new LeastSquaresOptions();

    /// <summary>The options.</summary>
    public LeastSquaresOptions Options { get; }

    /// <inheritdoc />
    public IRegressionModel Fit(TrainingSet data, FitContext? context = null) => FitModel(data, context);

    /// <summary>Fits and returns the concrete model type.</summary>
    /// <exception cref="DataValidationException">
    /// A feature is NaN or infinite; or, for λ = 0, feature columns are collinear or there are no more rows with
    /// positive weight than parameters.
    /// </exception>
    public LinearRegressionModel FitModel(TrainingSet data, FitContext? context = null)
    {
        const string name = nameof(LeastSquaresRegressionLearner);
        Options.Validate(name);
        TrainingSetChecks.Check(data, name, 1);
        (context ?? FitContext.Default).CancellationToken.ThrowIfCancellationRequested();
        var d = LinearDesign.Build(data, Options.FitIntercept, name);
        var lambda = Options.L2Regularization;
        var cols = d.Kept;
        var gram = GramMatrix.Compute(d, cols);
        if (lambda == 0 && Options.DropCollinearColumns)
            (cols, gram) = DropCollinear(cols, gram, data.Features, context);
        var k = cols.Length + (d.Intercept ? 1 : 0);
        if (lambda == 0)
        {
            GramMatrix.CheckFullRank(gram, cols, data.Features, name);
            if (d.PositiveRows <= k)
            {
                throw new DataValidationException(name, data.LabelColumnName, null,
                    $"there are {d.PositiveRows} rows with positive weight for {k} parameters; ordinary least squares needs more rows than parameters.",
                    "Pass more rows, use fewer features, or set L2Regularization > 0 (ridge).");
            }
        }

        var rhs = Vector<double>.Build.Dense(cols.Length);
        for (var a = 0; a < cols.Length; a++)
        {
            var x = d.Column(cols[a]);
            double s = 0;
            for (var i = 0; i < d.N; i++)
                s += d.W[i] * x[i] * (d.Y[i] - d.YMean);
            rhs[a] = s;
        }
        var system = gram + lambda * Matrix<double>.Build.DenseIdentity(cols.Length);
        var solution = cols.Length == 0 ? rhs : system.Cholesky().Solve(rhs);
        var standardized = new double[d.P];
        for (var a = 0; a < cols.Length; a++)
            standardized[cols[a]] = solution[a];
        var (intercept, coefficients) = d.ToOriginal(standardized, d.YMean);
        var covariance = lambda == 0 ? Hc1Covariance(d, cols, standardized) : null;
        return new LinearRegressionModel(data.Features.ColumnNames, intercept, coefficients, lambda, 0, covariance);
    }

    /// <summary>The columns of <paramref name="cols"/> that are independent of the earlier ones, with their Gram matrix; logs the others.</summary>
    private static (int[] Columns, Matrix<double> Gram) DropCollinear(int[] cols, Matrix<double> gram, FeatureMatrix features, FitContext? context)
    {
        var independent = GramMatrix.IndependentColumns(gram);
        if (independent.Length == cols.Length)
            return (cols, gram);
        var dropped = cols.Where((_, a) => Array.IndexOf(independent, a) < 0).Select(c => features.ColumnNames[c]);
        context?.Log?.Invoke(CausalLogKind.Info, nameof(LeastSquaresRegressionLearner),
            $"columns left out (coefficient 0) as linear combinations of earlier columns on the rows fitted on: {string.Join(", ", dropped)}");
        var kept = independent.Select(a => cols[a]).ToArray();
        var sub = Matrix<double>.Build.Dense(kept.Length, kept.Length, (a, b) => gram[independent[a], independent[b]]);
        return (kept, sub);
    }

    /// <summary>The HC1 sandwich over the estimated columns <paramref name="cols"/> on the standardized scale, mapped to (intercept, coefficients) on the original scale, flattened row-major.</summary>
    private static double[] Hc1Covariance(LinearDesign d, int[] cols, double[] standardized)
    {
        var offset = d.Intercept ? 1 : 0;
        var k = cols.Length + offset;
        var bread = Matrix<double>.Build.Dense(k, k);
        var meat = Matrix<double>.Build.Dense(k, k);
        var z = new double[k];
        for (var i = 0; i < d.N; i++)
        {
            var w = d.W[i] * d.WeightSum;
            if (w <= 0)
                continue;
            if (d.Intercept)
                z[0] = 1;
            var e = d.Y[i] - d.YMean;
            for (var a = 0; a < cols.Length; a++)
            {
                z[offset + a] = d.X[(long)cols[a] * d.N + i];
                e -= z[offset + a] * standardized[cols[a]];
            }
            var we2 = w * w * e * e;
            for (var a = 0; a < k; a++)
            {
                for (var b = 0; b < k; b++)
                {
                    bread[a, b] += w * z[a] * z[b];
                    meat[a, b] += we2 * z[a] * z[b];
                }
            }
        }
        var inverse = bread.Cholesky().Solve(Matrix<double>.Build.DenseIdentity(k));
        var n = d.PositiveRows;
        var vStandardized = (double)n / (n - k) * inverse * meat * inverse;

        // b0 = b̃0 − Σ β̃_j m_j / s_j and β_j = β̃_j / s_j: a linear map A from the k estimated parameters to (b0, β).
        var p = d.P;
        var map = Matrix<double>.Build.Dense(p + 1, k);
        if (d.Intercept)
            map[0, 0] = 1;
        for (var a = 0; a < cols.Length; a++)
        {
            var j = cols[a];
            map[0, offset + a] = -d.Mean[j] / d.Scale[j];
            map[1 + j, offset + a] = 1 / d.Scale[j];
        }
        var v = map * vStandardized * map.Transpose();
        var flat = new double[(p + 1) * (p + 1)];
        for (var r = 0; r <= p; r++)
        {
            for (var c = 0; c <= p; c++)
                flat[r * (p + 1) + c] = v[r, c];
        }
        return flat;
    }
}
