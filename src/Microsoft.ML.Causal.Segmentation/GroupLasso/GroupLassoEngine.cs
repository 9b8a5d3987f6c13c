using System.Numerics.Tensors;

namespace Microsoft.ML.Causal.Segmentation.GroupLasso;

/// <summary>
/// One segment solver per segment on a design, at one α: the null model, λ_max from its KKT conditions, the
/// scale that makes the KKT tolerance relative, solves at a λ (segments in parallel or in turn), and snapshots
/// of the solution as a <see cref="GroupLassoModel"/> on the original scale.
/// </summary>
/// <remarks>
/// The objective separates by segment: every person was shown exactly one creative, so a person's loss term
/// depends only on that creative's (γⱼ, δⱼₖ); the penalty is a sum over segments; no variable (the intercepts
/// included) is shared between segments; the standardization and the loss's normalizing weight are fixed
/// before solving. Hence the joint minimizer is the collection of the segments' minimizers, and the segments
/// are solved independently, in parallel; each solve is sequential, so the result does not depend on the
/// thread count.
/// </remarks>
internal sealed class GroupLassoEngine
{
    private readonly GroupLassoOptions _options;
    private readonly bool _parallel;

    public GroupLassoEngine(GroupLassoDesign design, double alpha, GroupLassoOptions options, bool parallelSegments)
    {
        Design = design;
        Alpha = alpha;
        _options = options;
        _parallel = parallelSegments;
        var m = design.Segments.Length;
        Solvers = new SegmentSolver[m];
        var scales = new double[m];
        var nullGradients = new (double Group, double Centre)[m];
        ForEachSegment(j =>
        {
            // With the segments in parallel, a segment's passes also split over its creatives, so the last
            // segments to finish (5 segments on 2 cores, or one slower segment) do not leave a core idle.
            var s = new SegmentSolver(design, j, options.Solver, parallelSegments ? options.ParallelOptions : null);
            nullGradients[j] = s.ResetToInterceptOnly();
            scales[j] = Math.Max(nullGradients[j].Group, nullGradients[j].Centre);
            Solvers[j] = s;
        });
        Scale = Math.Max(scales.Max(), 1e-300);
        var lambdaMax = new double[m];
        ForEachSegment(j =>
        {
            var s = Solvers[j];
            var nj = s.CreativeCount;
            if (alpha == 0)
            {
                var (group, _) = s.ResetToPooledFit(AbsoluteTolerance, options.MaxIterations);
                lambdaMax[j] = nj * group;
            }
            else
            {
                var (group, centre) = nullGradients[j]; // the solver is still at the intercept-only fit
                lambdaMax[j] = alpha < 1 ? Math.Max(nj * group / (1 - alpha), centre / alpha) : centre / alpha;
            }
        });
        var max = lambdaMax.Max();
        LambdaMax = max > 0 ? max : 1;   // nothing to fit beyond the null model: every λ gives it
    }

    public GroupLassoDesign Design { get; }

    public double Alpha { get; }

    public SegmentSolver[] Solvers { get; }

    /// <summary>The largest gradient (coordinate of γ or group norm of δₖ) of the intercept-only model.</summary>
    public double Scale { get; }

    public double LambdaMax { get; }

    public double AbsoluteTolerance => _options.Tolerance * Scale;

    /// <summary>The path's λ values: <see cref="GroupLassoOptions.PathLength"/> log-spaced from λ_max down to ratio·λ_max.</summary>
    public double[] PathLambdas()
    {
        var ratio = _options.LambdaMinRatio ?? (Design.Segments.Any(s => s.RowCount < Design.Data.FeatureCount) ? 1e-2 : 1e-3);
        var count = _options.PathLength;
        var lambdas = new double[count];
        for (var k = 0; k < count; k++)
            lambdas[k] = count == 1 ? LambdaMax : LambdaMax * Math.Pow(ratio, (double)k / (count - 1));
        return lambdas;
    }

    /// <summary>Solves every segment at <paramref name="lambda"/>, each from its current iterate (a warm start).</summary>
    public void Solve(double lambda) =>
        ForEachSegment(j => Solvers[j].Solve(lambda, Alpha, AbsoluteTolerance, _options.MaxIterations));

    private void ForEachSegment(Action<int> body)
    {
        if (_parallel)
            Parallel.For(0, Solvers.Length, _options.ParallelOptions, body);
        else
        {
            for (var j = 0; j < Solvers.Length; j++)
                body(j);
        }
    }

    /// <summary>The current solution as a model on the original scale.</summary>
    public GroupLassoModel Snapshot(double lambda)
    {
        var data = Design.Data;
        var names = data.Names;
        var p = data.FeatureCount;
        var block = p + 1;
        var segments = new SegmentCentre[Solvers.Length];
        var creatives = new CreativeResponse[data.CreativeCount];
        var beta = new double[block];
        double objective = 0, kkt = 0;
        var converged = true;
        var iterations = 0;
        for (var j = 0; j < Solvers.Length; j++)
        {
            var s = Solvers[j];
            var z = s.Variables;
            var gamma = z[..block];
            var (g0, gs) = Design.ToOriginal(gamma);
            var support = 0;
            foreach (var v in gs)
                support += v != 0 ? 1 : 0;
            var list = Design.Segments[j].Creatives;
            segments[j] = new SegmentCentre(j, names.SegmentName(j), g0, gs, list, support);
            for (var k = 0; k < list.Length; k++)
            {
                var delta = z.Slice((k + 1) * block, block);
                TensorPrimitives.Add(gamma, delta, beta);
                var (b0, bs) = Design.ToOriginal(beta);
                var norm = TensorPrimitives.Norm(delta);
                creatives[list[k]] = new CreativeResponse(list[k], names.CreativeName(list[k]), j, b0, bs, norm == 0, norm);
            }
            objective += s.Objective();
            kkt = Math.Max(kkt, s.KktResidual);
            converged &= s.Converged;
            iterations = Math.Max(iterations, s.Iterations);
        }
        var featureNames = Enumerable.Range(0, p).Select(names.FeatureName).ToArray();
        return new GroupLassoModel(lambda, Alpha, p, featureNames, segments, creatives, objective, kkt / Scale, converged, iterations);
    }
}
