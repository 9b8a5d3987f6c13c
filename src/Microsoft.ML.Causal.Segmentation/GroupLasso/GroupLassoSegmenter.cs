namespace Microsoft.ML.Causal.Segmentation.GroupLasso;

/// <summary>
/// Segment discovery from a multi-creative experiment (layer 3, on plain arrays): fits the group-lasso logistic
/// model β_jk = γ_j + δ_jk,
/// minimize (1/Σw) Σᵢ wᵢ ℓ(yᵢ, ηᵢ) + λ Σⱼ [ (1−α)/nⱼ Σₖ ‖δⱼₖ‖₂ + α‖γⱼ‖₁ ],
/// at one (λ, α), along a λ path, or with (α, λ) chosen by cross-validation.
/// </summary>
/// <remarks>
/// <para>
/// Intercepts: each segment has an unpenalized intercept γⱼ₀ (the segment's baseline log-odds); each creative's
/// intercept offset δⱼₖ₀ belongs to its group δⱼₖ, so a fused creative (δⱼₖ = 0) has its segment's baseline as
/// well as its slopes, and a creative whose click rate differs from its segment's counts as deviating. The
/// ℓ1 term never touches an intercept, so it does not shrink click rates toward 50 %.
/// </para>
/// <para>
/// Features are standardized internally (weighted mean and standard deviation over the rows fitted, the same
/// for every segment, so one λ means the same everywhere) and coefficients are reported on the original scale.
/// The loss is divided by the total weight, so λ does not grow with the number of rows and weights act as row
/// counts (weight 2 = the row twice).
/// </para>
/// <para>
/// Limits: α = 0 leaves γ unpenalized (pure fusion: at λ ≥ λ_max every creative is fused to the segment's pooled,
/// unpenalized logistic fit). α = 1 leaves δ unpenalized; since γⱼ can then be moved into the δⱼₖ at no cost, the
/// solution has γⱼ slopes = 0 for every λ &gt; 0 and each creative's own unpenalized fit — allowed for a single fit,
/// rejected for a path or cross-validation (λ_max is 0 there).
/// </para>
/// </remarks>
public static class GroupLassoSegmenter
{
    /// <summary>λ_max at <paramref name="alpha"/>: the smallest λ at which every δⱼₖ, and for α &gt; 0 every centre slope, is 0.</summary>
    /// <exception cref="ArgumentOutOfRangeException">α is not in [0, 1).</exception>
    public static double LambdaMax(MultiCreativeData data, double alpha, GroupLassoOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        options = Checked(options);
        CheckAlpha(alpha, allowOne: false);
        return new GroupLassoEngine(GroupLassoDesign.Build(data), alpha, options, parallelSegments: true).LambdaMax;
    }

    /// <summary>Fits the model at one (λ, α), segments in parallel.</summary>
    /// <param name="data">The experiment.</param>
    /// <param name="lambda">λ ≥ 0.</param>
    /// <param name="alpha">α in [0, 1].</param>
    /// <param name="options">Solver options (tolerance, iterations, threads); null for the defaults.</param>
    /// <exception cref="ArgumentOutOfRangeException">λ is negative or not finite, or α is outside [0, 1].</exception>
    public static GroupLassoModel Fit(MultiCreativeData data, double lambda, double alpha, GroupLassoOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        options = Checked(options);
        if (!(lambda >= 0 && double.IsFinite(lambda)))
            throw new ArgumentOutOfRangeException(nameof(lambda), lambda, "GroupLasso: λ must be a finite number ≥ 0 (0 fits the creatives without fusion).");
        CheckAlpha(alpha, allowOne: true);
        var engine = new GroupLassoEngine(GroupLassoDesign.Build(data), alpha, options, parallelSegments: true);
        engine.Solve(lambda);
        return engine.Snapshot(lambda);
    }

    /// <summary>
    /// Fits the path of <see cref="GroupLassoOptions.PathLength"/> log-spaced λ from λ_max down to
    /// <see cref="GroupLassoOptions.LambdaMinRatio"/>·λ_max at <paramref name="alpha"/>, warm-starting each λ.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">α is not in [0, 1).</exception>
    public static GroupLassoPath FitPath(MultiCreativeData data, double alpha, GroupLassoOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        options = Checked(options);
        CheckAlpha(alpha, allowOne: false);
        var engine = new GroupLassoEngine(GroupLassoDesign.Build(data), alpha, options, parallelSegments: true);
        return SolvePath(engine, engine.PathLambdas());
    }

    /// <summary>
    /// K-fold cross-validation over <see cref="GroupLassoOptions.Alphas"/> × each α's λ path, stratified by creative
    /// and response, scored by held-out binomial deviance; returns the curve, the minimum and one-SE choices, and
    /// the path and model on all rows at the choice of <see cref="GroupLassoOptions.Rule"/>. Seeded by
    /// <see cref="GroupLassoOptions.Seed"/>; the result does not depend on the thread count.
    /// </summary>
    /// <exception cref="DataValidationException">There are fewer rows than folds, or a fold has no weight.</exception>
    public static GroupLassoCrossValidation CrossValidate(MultiCreativeData data, GroupLassoOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        return GroupLassoCrossValidator.Run(data, Checked(options));
    }

    internal static GroupLassoPath SolvePath(GroupLassoEngine engine, double[] lambdas)
    {
        var models = new GroupLassoModel[lambdas.Length];
        for (var s = 0; s < lambdas.Length; s++)
        {
            engine.Solve(lambdas[s]);
            models[s] = engine.Snapshot(lambdas[s]);
        }
        return new GroupLassoPath(engine.Alpha, engine.LambdaMax, lambdas, models);
    }

    private static GroupLassoOptions Checked(GroupLassoOptions? options)
    {
        options ??= new GroupLassoOptions();
        options.Validate();
        return options;
    }

    private static void CheckAlpha(double alpha, bool allowOne)
    {
        if (!(alpha >= 0 && alpha <= 1))
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "GroupLasso: α must be in [0, 1] (0: pure fusion of creatives to their segment; 1: pure ℓ1 on the centres).");
        if (!allowOne && alpha == 1)
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "GroupLasso: at α = 1 the creative deviations are unpenalized, so the centres are 0 for every λ > 0 and λ_max is 0; use α < 1 for a path or cross-validation.");
    }
}
