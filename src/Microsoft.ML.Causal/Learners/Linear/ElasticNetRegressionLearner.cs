namespace Microsoft.ML.Causal.Learners.Linear;

/// <summary>
/// Lasso and elastic-net regression by cyclic coordinate descent on standardized features (see
/// <see cref="ElasticNetOptions"/> for the objective). Coefficients are reported on the original scale; columns
/// constant over the rows with positive weight get coefficient 0. Without a fixed λ, the learner fits the path of
/// <see cref="ElasticNetOptions.PathLength"/> log-spaced λ values from λ_max (warm-starting each from the previous
/// solution) and keeps the λ with the smallest K-fold cross-validated mean squared error. The folds are a seeded
/// random partition of the rows, and each fold's fit standardizes its own training rows.
/// </summary>
public sealed class ElasticNetRegressionLearner : IRegressionLearner
{
    private const string Name = nameof(ElasticNetRegressionLearner);

    /// <summary>Creates the learner; options are checked when it fits.</summary>
    public ElasticNetRegressionLearner(ElasticNetOptions? options = null) => Options = options ?? new ElasticNetOptions();

    /// <summary>The options.</summary>
    public ElasticNetOptions Options { get; }

    /// <inheritdoc />
    public IRegressionModel Fit(TrainingSet data, FitContext? context = null) => FitModel(data, context);

    /// <summary>Fits and returns the concrete model type; its <see cref="LinearRegressionModel.Lambda"/> is the λ used (given or cross-validated).</summary>
    /// <exception cref="DataValidationException">A feature is NaN or infinite, or a label or weight is invalid.</exception>
    public LinearRegressionModel FitModel(TrainingSet data, FitContext? context = null)
    {
        context ??= FitContext.Default;
        if (Options.Lambda is not { } lambda)
        {
            var path = FitPath(data, context);
            var k = path.SelectedIndex;
            return new LinearRegressionModel(data.Features.ColumnNames, path.Intercepts[k], [.. path.Coefficients[k]], path.Lambdas[k], Options.Alpha, null);
        }
        Options.Validate(Name);
        TrainingSetChecks.Check(data, Name, 1);
        var d = LinearDesign.Build(data, intercept: true, Name);
        var solver = new CoordinateDescent(d, Options.Tolerance, Options.MaxIterations);
        solver.Solve(lambda, Options.Alpha, Name, context.CancellationToken);
        var (b0, beta) = d.ToOriginal(solver.Beta, d.YMean);
        return new LinearRegressionModel(data.Features.ColumnNames, b0, beta, lambda, Options.Alpha, null);
    }

    /// <summary>
    /// The solutions along the λ path on all rows (ignoring <see cref="ElasticNetOptions.Lambda"/>), and, when
    /// <paramref name="crossValidate"/> is true, the cross-validated error of each λ and the selected λ.
    /// </summary>
    /// <exception cref="DataValidationException">A feature is NaN or infinite, a label or weight is invalid, or there are fewer rows than folds.</exception>
    public ElasticNetPath FitPath(TrainingSet data, FitContext? context = null, bool crossValidate = true)
    {
        context ??= FitContext.Default;
        Options.Validate(Name);
        TrainingSetChecks.Check(data, Name, crossValidate ? Options.CrossValidationFolds : 1);
        var d = LinearDesign.Build(data, intercept: true, Name);
        var lambdas = Lambdas(d);
        var (intercepts, coefficients) = SolvePath(d, lambdas, startsAtLambdaMax: true, context.CancellationToken);
        double[]? errors = null;
        var selected = 0;
        if (crossValidate)
        {
            errors = CrossValidate(data, lambdas, Options.Seed ?? context.Seed, context);
            for (var k = 1; k < errors.Length; k++)
            {
                if (errors[k] < errors[selected])
                    selected = k;
            }
        }
        return new ElasticNetPath(Options.Alpha, lambdas, intercepts, coefficients, errors, selected);
    }

    private double[] Lambdas(LinearDesign d)
    {
        var max = CoordinateDescent.LambdaMax(d, Options.Alpha);
        if (max == 0)
            max = 1;   // the label is constant (or every feature is): every λ gives β = 0
        var ratio = Options.LambdaMinRatio ?? (d.PositiveRows >= d.P ? 1e-4 : 1e-2);
        var count = Options.PathLength;
        var lambdas = new double[count];
        for (var k = 0; k < count; k++)
            lambdas[k] = count == 1 ? max : max * Math.Pow(ratio, (double)k / (count - 1));
        return lambdas;
    }

    private (double[] Intercepts, IReadOnlyList<double>[] Coefficients) SolvePath(LinearDesign d, double[] lambdas, bool startsAtLambdaMax, CancellationToken cancellation)
    {
        var solver = new CoordinateDescent(d, Options.Tolerance, Options.MaxIterations);
        var intercepts = new double[lambdas.Length];
        var coefficients = new IReadOnlyList<double>[lambdas.Length];
        for (var k = 0; k < lambdas.Length; k++)
        {
            if (k > 0 || !startsAtLambdaMax)   // at this design's own λ_max, β = 0 by construction (solving would only add rounding)
                solver.Solve(lambdas[k], Options.Alpha, Name, cancellation);
            (intercepts[k], var beta) = d.ToOriginal(solver.Beta, d.YMean);
            coefficients[k] = beta;
        }
        return (intercepts, coefficients);
    }

    /// <summary>Pooled weighted held-out squared error per λ; folds are fitted in parallel and summed in fold order.</summary>
    private double[] CrossValidate(TrainingSet data, double[] lambdas, int seed, FitContext context)
    {
        var folds = Options.CrossValidationFolds;
        var n = data.Count;
        var order = Enumerable.Range(0, n).ToArray();
        new Numerics.CausalRandom(seed).Shuffle(order.AsSpan());
        var fold = new int[n];
        for (var k = 0; k < n; k++)
            fold[order[k]] = k % folds;

        var squared = new double[folds][];
        var weight = new double[folds];
        var labels = data.Labels;
        Parallel.For(0, folds, context.ParallelOptions, f =>
        {
            var train = new List<int>(n);
            var test = new List<int>(n / folds + 1);
            for (var i = 0; i < n; i++)
                (fold[i] == f ? test : train).Add(data.RowAt(i));
            var d = LinearDesign.Build(data with { Rows = train.ToArray() }, intercept: true, Name);
            var (intercepts, coefficients) = SolvePath(d, lambdas, startsAtLambdaMax: false, context.CancellationToken);
            var errors = new double[lambdas.Length];
            foreach (var r in test)
            {
                var w = data.WeightOf(r);
                weight[f] += w;
                var x = data.Features.Row(r);
                for (var k = 0; k < lambdas.Length; k++)
                {
                    var prediction = intercepts[k];
                    var beta = coefficients[k];
                    for (var j = 0; j < x.Length; j++)
                        prediction += beta[j] * x[j];
                    var e = labels.Span[r] - prediction;
                    errors[k] += w * e * e;
                }
            }
            squared[f] = errors;
        });
        var total = weight.Sum();
        var result = new double[lambdas.Length];
        for (var k = 0; k < lambdas.Length; k++)
        {
            double s = 0;
            for (var f = 0; f < folds; f++)
                s += squared[f][k];
            result[k] = total > 0 ? s / total : 0;
        }
        return result;
    }
}
