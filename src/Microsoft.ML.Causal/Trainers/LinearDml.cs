using System.Collections.Immutable;
using Microsoft.ML.Causal.Inference;
using Microsoft.ML.Causal.Learners;
using Microsoft.ML.Causal.Learners.Linear;

namespace Microsoft.ML.Causal.Trainers;

/// <summary>Options of <see cref="LinearDml"/> and <see cref="SparseLinearDml"/>.</summary>
public sealed record DmlOptions : CateOptions
{
    /// <summary>Learner of the treatment model t̂(x) = E[T | x] for a continuous treatment; default the outcome learner.</summary>
    public IRegressionLearner? TreatmentLearner { get; init; }

    /// <summary>For <see cref="SparseLinearDml"/>: the lasso penalty λ; null picks it by 5-fold cross-validation on a path of 100.</summary>
    public double? Lambda { get; init; }
}

/// <summary>
/// Double machine learning with a linear final stage (Chernozhukov et al. 2018; EconML's LinearDML): with
/// cross-fitted Ỹ = Y − m̂(x) and T̃ = T − t̂(x) (for arms, T̃ₐ = 1{W = a} − êₐ(x)), θ(x) = φ(x)ᵀβ with
/// φ(x) = (1, x) is fitted by least squares of Ỹ on φ(x) ⊗ T̃. The HC1 covariance of β gives analytic
/// intervals: SE(θ̂(x)) = √(φ(x)ᵀ Σ̂ φ(x)). Binary, several arms, or a continuous treatment (θ the marginal effect).
/// </summary>
public class LinearDml(DmlOptions? options = null) : CateLearner<DmlOptions>(options ?? new DmlOptions())
{
    /// <inheritdoc />
    public override string Method => "linear-dml";

    /// <inheritdoc />
    public override bool SupportsContinuous => true;

    private protected override bool HasAnalyticIntervals => true;

    private protected override CateModel FitOnce(NuisanceCache cache, string component)
    {
        var data = cache.Data;
        var t = data.Treatment;
        var rows = data.RowIndices();
        var n = data.Features.RowCount;
        var p = data.Features.ColumnCount;
        var k = t.EffectCount;
        var m = cache.Outcome;
        var residuals = new double[k][];
        if (t.IsContinuous)
        {
            var dose = Options.TreatmentLearner is null ? cache.Dose : Nuisances.Dose(data, cache.Folds, Options.Folds, Options.TreatmentLearner, cache.Context);
            residuals[0] = new double[n];
            foreach (var r in rows)
                residuals[0][r] = t.Doses[r] - dose[r];
        }
        else
        {
            var e = cache.Propensities;
            for (var j = 0; j < k; j++)
            {
                var a = t.ArmOfEffect(j);
                residuals[j] = new double[n];
                foreach (var r in rows)
                    residuals[j][r] = (t.Arms[r] == a ? 1 : 0) - e[a][r];
            }
        }
        // The final design: column (j, f) = φ_f(x)·T̃_j with φ = (1, x).
        var width = k * (p + 1);
        var z = new double[n * width];
        var y = new double[n];
        foreach (var r in rows)
        {
            var x = data.Features.Row(r);
            y[r] = data.Outcome.Span[r] - m[r];
            for (var j = 0; j < k; j++)
            {
                var offset = r * width + j * (p + 1);
                z[offset] = residuals[j][r];
                for (var f = 0; f < p; f++)
                    z[offset + 1 + f] = x[f] * residuals[j][r];
            }
        }
        var names = t.EffectNames.SelectMany(effect => new[] { $"1×T̃[{effect}]" }.Concat(data.Features.ColumnNames.Select(c => $"{c}×T̃[{effect}]")));
        var design = new TrainingSet(new FeatureMatrix(z, n, width, names), y) { Rows = rows, Weights = data.Weights, LabelColumnName = data.OutcomeColumnName };
        var (beta, covariance) = FinalStage(design, cache.Context);
        return new LinearDmlModel(CateModelHeader.For(Method, data), p, beta, covariance);
    }

    /// <summary>β and its covariance (width × width, row-major) from the final design.</summary>
    private protected virtual (double[] Beta, double[] Covariance) FinalStage(TrainingSet design, FitContext context) =>
        LeastSquares(design, context, Enumerable.Range(0, design.Features.ColumnCount).ToArray());

    /// <summary>
    /// Ordinary least squares without intercept on the <paramref name="columns"/> of the design, HC1 covariance; other
    /// columns get β = 0 and variance 0, and so do terms that are linear combinations of earlier ones (e.g. the last
    /// one-hot column of a category next to the constant; logged), which leaves θ(x) on the training rows' span unchanged.
    /// </summary>
    private protected static (double[] Beta, double[] Covariance) LeastSquares(TrainingSet design, FitContext context, int[] columns)
    {
        var width = design.Features.ColumnCount;
        var beta = new double[width];
        var covariance = new double[width * width];
        if (columns.Length == 0)
            return (beta, covariance);
        var sub = columns.Length == width ? design : design with { Features = Select(design.Features, columns) };
        var model = new LeastSquaresRegressionLearner(new LeastSquaresOptions { FitIntercept = false, DropCollinearColumns = true }).FitModel(sub, context);
        var v = model.Covariance!;
        for (var a = 0; a < columns.Length; a++)
        {
            beta[columns[a]] = model.Coefficients[a];
            for (var b = 0; b < columns.Length; b++)
                covariance[columns[a] * width + columns[b]] = v[a + 1, b + 1]; // skip the (unfitted) intercept
        }
        return (beta, covariance);
    }

    private static FeatureMatrix Select(FeatureMatrix features, int[] columns)
    {
        var n = features.RowCount;
        var values = new double[n * columns.Length];
        for (var i = 0; i < n; i++)
        {
            var row = features.Row(i);
            for (var c = 0; c < columns.Length; c++)
                values[i * columns.Length + c] = row[columns[c]];
        }
        return new FeatureMatrix(values, n, columns.Length, columns.Select(c => features.ColumnNames[c]));
    }

    /// <summary>For a continuous treatment, the average marginal effect φ̄ᵀβ with SE √(φ̄ᵀΣ̂φ̄); for arms, the AIPW averages.</summary>
    private protected override ImmutableArray<AverageEffect> AverageEffects(NuisanceCache cache, CateModel model)
    {
        var data = cache.Data;
        if (!data.Treatment.IsContinuous)
            return base.AverageEffects(cache, model);
        var p = data.Features.ColumnCount;
        var mean = new double[p];
        double total = 0;
        var rows = data.RowIndices();
        foreach (var r in rows)
        {
            var w = data.WeightOf(r);
            total += w;
            var x = data.Features.Row(r);
            for (var f = 0; f < p; f++)
                mean[f] += w * x[f];
        }
        for (var f = 0; f < p; f++)
            mean[f] /= total;
        var linear = (LinearDmlModel)model;
        var estimate = linear.Effect(mean, 0);
        var se = linear.StandardError(mean, 0);
        return [new AverageEffect(data.Treatment.ColumnName, Estimand.Ate, Method, estimate, se, rows.Length)];
    }
}

/// <summary>
/// <see cref="LinearDml"/> with a lasso final stage (EconML's SparseLinearDML) for many features: the lasso (λ
/// by cross-validation unless given) selects the terms of φ(x) ⊗ T̃, then least squares on the selected terms
/// gives β and its HC1 covariance ("post-lasso"). These intervals treat the selection as fixed; EconML's
/// debiased-lasso intervals, which do not, are not implemented yet.
/// </summary>
public sealed class SparseLinearDml(DmlOptions? options = null) : LinearDml(options)
{
    /// <inheritdoc />
    public override string Method => "sparse-linear-dml";

    private protected override (double[] Beta, double[] Covariance) FinalStage(TrainingSet design, FitContext context)
    {
        var lasso = new ElasticNetRegressionLearner(new ElasticNetOptions { Alpha = 1, Lambda = Options.Lambda, Seed = context.Seed }).FitModel(design, context);
        var selected = Enumerable.Range(0, design.Features.ColumnCount).Where(c => lasso.Coefficients[c] != 0).ToArray();
        return LeastSquares(design, context, selected);
    }
}
