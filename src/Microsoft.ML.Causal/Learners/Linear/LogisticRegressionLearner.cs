using MathNet.Numerics.LinearAlgebra;
using Microsoft.ML.Causal.Numerics;

namespace Microsoft.ML.Causal.Learners.Linear;

/// <summary>
/// Weighted L2-penalized logistic regression (see <see cref="LogisticRegressionOptions"/> for the objective), fitted
/// by Newton's method (iteratively reweighted least squares) with step halving on standardized features;
/// coefficients are reported on the original scale. Columns constant over the rows with positive weight get
/// coefficient 0. Without a penalty, collinear feature columns and perfectly separated classes are rejected with a
/// <see cref="DataValidationException"/>.
/// </summary>
public sealed class LogisticRegressionLearner : IClassificationLearner
{
    private const string Name = nameof(LogisticRegressionLearner);

    /// <summary>Creates the learner; options are checked when it fits.</summary>
    public LogisticRegressionLearner(LogisticRegressionOptions? options = null) => Options = options ?? new LogisticRegressionOptions();

    /// <summary>The options.</summary>
    public LogisticRegressionOptions Options { get; }

    /// <inheritdoc />
    public IProbabilityModel Fit(TrainingSet data, FitContext? context = null) => FitModel(data, context);

    /// <summary>Fits and returns the concrete model type.</summary>
    /// <exception cref="DataValidationException">
    /// A feature is NaN or infinite, a label is not 0/1 or only one class has positive weight; or, with
    /// L2Regularization = 0, columns are collinear or the classes are separated.
    /// </exception>
    public LogisticRegressionModel FitModel(TrainingSet data, FitContext? context = null)
    {
        context ??= FitContext.Default;
        Options.Validate(Name);
        TrainingSetChecks.CheckBinary(data, Name, 1);
        var d = LinearDesign.Build(data, Options.FitIntercept, Name);
        var share = 0.0;
        for (var i = 0; i < d.N; i++)
            share += d.W[i] * d.Y[i];
        if (share <= 0 || share >= 1)
        {
            throw new DataValidationException(Name, data.LabelColumnName, null,
                $"every row with positive weight has label {(share >= 1 ? 1 : 0)}; a classifier needs both classes with positive weight.", "Fit on rows of both classes.");
        }
        var lambda = Options.L2Regularization;
        var cols = d.Kept;
        if (lambda == 0)
            GramMatrix.CheckFullRank(GramMatrix.Compute(d, cols), cols, data.Features, Name);

        var offset = d.Intercept ? 1 : 0;
        var k = offset + cols.Length;
        var theta = Vector<double>.Build.Dense(k);
        if (d.Intercept)
            theta[0] = Math.Log(share / (1 - share));
        var eta = new double[d.N];
        var converged = false;
        for (var iteration = 0; iteration < Options.MaxIterations; iteration++)
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            LogOdds(d, theta, offset, eta);
            var (gradient, hessian) = Derivatives(d, theta, offset, eta, lambda);
            if (gradient.AbsoluteMaximum() <= Options.Tolerance)
            {
                converged = true;
                break;
            }
            Vector<double> step;
            try
            {
                step = hessian.Cholesky().Solve(-gradient);
            }
            catch (ArgumentException) when (lambda == 0)
            {
                break;   // every p(1 − p) underflowed: the fit is running off to a separating direction
            }
            var before = Objective(d, theta, offset, eta, lambda);
            var slope = gradient.DotProduct(step);
            var t = 1.0;
            var trial = theta + step;
            LogOdds(d, trial, offset, eta);
            while (Objective(d, trial, offset, eta, lambda) > before + 1e-4 * t * slope && t > 1e-10)
            {
                t /= 2;
                trial = theta + t * step;
                LogOdds(d, trial, offset, eta);
            }
            theta = trial;
        }
        LogOdds(d, theta, offset, eta);
        if (lambda == 0 && (!converged || Separated(d, eta)))
        {
            throw new DataValidationException(Name, data.LabelColumnName, null,
                "the classes are (almost) perfectly separated by the features, so the maximum-likelihood coefficients are infinite.",
                "Set L2Regularization > 0 (the default is 1e-4), or drop the features that separate the classes.");
        }
        if (!converged)
            throw new InvalidOperationException($"{Name}: Newton's method did not converge within {Options.MaxIterations} steps. Raise MaxIterations or Tolerance.");

        var standardized = new double[d.P];
        for (var a = 0; a < cols.Length; a++)
            standardized[cols[a]] = theta[offset + a];
        var (intercept, coefficients) = d.ToOriginal(standardized, d.Intercept ? theta[0] : 0);
        return new LogisticRegressionModel(data.Features.ColumnNames, intercept, coefficients, lambda);
    }

    private static void LogOdds(LinearDesign d, Vector<double> theta, int offset, double[] eta)
    {
        Array.Fill(eta, offset == 1 ? theta[0] : 0);
        for (var a = 0; a < d.Kept.Length; a++)
        {
            var x = d.Column(d.Kept[a]);
            var b = theta[offset + a];
            for (var i = 0; i < d.N; i++)
                eta[i] += b * x[i];
        }
    }

    private static double Objective(LinearDesign d, Vector<double> theta, int offset, double[] eta, double lambda)
    {
        double loss = 0;
        for (var i = 0; i < d.N; i++)
            loss += d.W[i] * (LogisticMath.Softplus(eta[i]) - d.Y[i] * eta[i]);
        double penalty = 0;
        for (var a = offset; a < theta.Count; a++)
            penalty += theta[a] * theta[a];
        return loss + lambda / 2 * penalty;
    }

    /// <summary>Gradient Σ w̄ (p − y) z + λ β̃ and Hessian Σ w̄ p(1 − p) z zᵀ + λ I (intercept unpenalized), z = (1, x̃).</summary>
    private static (Vector<double> Gradient, Matrix<double> Hessian) Derivatives(LinearDesign d, Vector<double> theta, int offset, double[] eta, double lambda)
    {
        var k = theta.Count;
        var gradient = Vector<double>.Build.Dense(k);
        var hessian = Matrix<double>.Build.Dense(k, k);
        var z = new double[k];
        for (var i = 0; i < d.N; i++)
        {
            if (d.W[i] == 0)
                continue;
            var p = LogisticMath.Sigmoid(eta[i]);
            var g = d.W[i] * (p - d.Y[i]);
            var h = d.W[i] * p * (1 - p);
            if (offset == 1)
                z[0] = 1;
            for (var a = 0; a < d.Kept.Length; a++)
                z[offset + a] = d.X[(long)d.Kept[a] * d.N + i];
            for (var a = 0; a < k; a++)
            {
                gradient[a] += g * z[a];
                for (var b = 0; b <= a; b++)
                    hessian[a, b] += h * z[a] * z[b];
            }
        }
        for (var a = 0; a < k; a++)
        {
            for (var b = 0; b < a; b++)
                hessian[b, a] = hessian[a, b];
            if (a >= offset)
            {
                gradient[a] += lambda * theta[a];
                hessian[a, a] += lambda;
            }
        }
        return (gradient, hessian);
    }

    /// <summary>Every row with positive weight on the right side of the fitted hyperplane: the likelihood then grows without bound along θ.</summary>
    private static bool Separated(LinearDesign d, double[] eta)
    {
        for (var i = 0; i < d.N; i++)
        {
            if (d.W[i] > 0 && (d.Y[i] == 1 ? eta[i] <= 0 : eta[i] >= 0))
                return false;
        }
        return true;
    }
}
