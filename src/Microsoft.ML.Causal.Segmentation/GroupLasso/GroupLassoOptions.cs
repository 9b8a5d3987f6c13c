namespace Microsoft.ML.Causal.Segmentation.GroupLasso;

/// <summary>
/// Options of the group-lasso segmentation (every value has a default; they are checked when a fit starts).
/// The objective, on standardized features, is
/// (1/Σw) Σᵢ wᵢ ℓ(yᵢ, ηᵢ) + λ Σⱼ [ (1−α)/nⱼ Σₖ ‖δⱼₖ‖₂ + α ‖γⱼ‖₁ ],
/// with ηᵢ = γⱼ₀ + δⱼₖ₀ + x̃ᵢᵀ(γⱼ + δⱼₖ) for a person shown creative k of segment j, ℓ the logistic negative
/// log-likelihood, γⱼ₀ the unpenalized segment intercept and δⱼₖ₀ the creative's intercept offset (part of the
/// group δⱼₖ).
/// </summary>
public sealed record GroupLassoOptions
{
    /// <summary>
    /// The α values cross-validation tries (default 0.05, 0.15, 0.25, 0.35, 0.45; each in [0, 1)).
    /// </summary>
    /// <remarks>
    /// With the 1/nⱼ weight, moving a common vector v from a segment's nⱼ deviations into its centre saves at
    /// most (1−α)‖v‖₂ of group penalty and costs α‖v‖₁ ≥ α‖v‖₂, so for α &gt; ½ every centre slope is 0 at every λ
    /// (and at α = ½ it is 0 unless all the segment's deviations point the same way): the centres, and hence the
    /// segment assignment, carry information only for α &lt; ½. The default grid therefore stays below ½ (the
    /// design notes' grid 0.05 … 0.95 would spend three of its five values on centre-free models).
    /// </remarks>
    public IReadOnlyList<double> Alphas { get; init; } = [0.05, 0.15, 0.25, 0.35, 0.45];

    /// <summary>Number of λ values on a path (default 50; ≥ 1).</summary>
    public int PathLength { get; init; } = 50;

    /// <summary>
    /// The smallest λ of a path as a fraction of λ_max (in (0, 1]); null (default) means 1e−3, or 1e−2 when a
    /// segment has fewer rows than features.
    /// </summary>
    public double? LambdaMinRatio { get; init; }

    /// <summary>Cross-validation folds K (default 5; ≥ 2), stratified by creative and response.</summary>
    public int Folds { get; init; } = 5;

    /// <summary>The rule that picks (α, λ) from the cross-validation curve (default <see cref="GroupLassoSelectionRule.Minimum"/>).</summary>
    public GroupLassoSelectionRule Rule { get; init; } = GroupLassoSelectionRule.Minimum;

    /// <summary>The seed of the fold assignment (default 0).</summary>
    public int Seed { get; init; }

    /// <summary>
    /// The solver stops when the KKT residual (the largest distance of −∇f from the penalty's subdifferential,
    /// over coordinates and groups) relative to the null model's largest gradient is at most this (default 1e−7; &gt; 0).
    /// </summary>
    public double Tolerance { get; init; } = 1e-7;

    /// <summary>
    /// The optimization method (default <see cref="GroupLassoSolver.Majorization"/>); both stop on the same KKT
    /// rule of the same objective.
    /// </summary>
    public GroupLassoSolver Solver { get; init; } = GroupLassoSolver.Majorization;

    /// <summary>The most iterations (FISTA iterations or majorization steps) per segment and λ (default 10 000; ≥ 1).</summary>
    public int MaxIterations { get; init; } = 10_000;

    /// <summary>The most threads (segments and folds run in parallel); −1 (default) means all cores. Results do not depend on it.</summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;

    internal void Validate()
    {
        ArgumentNullException.ThrowIfNull(Alphas, nameof(Alphas));
        if (Alphas.Count == 0)
            throw new ArgumentException("Give at least one α to cross-validate.", nameof(Alphas));
        foreach (var a in Alphas)
        {
            if (!(a >= 0 && a < 1))
                throw new ArgumentOutOfRangeException(nameof(Alphas), a, "Each cross-validated α must be in [0, 1): at α = 1 the creative deviations are unpenalized and the path is degenerate.");
        }
        if (PathLength < 1)
            throw new ArgumentOutOfRangeException(nameof(PathLength), PathLength, "The path needs at least one λ.");
        if (LambdaMinRatio is { } r && !(r > 0 && r <= 1))
            throw new ArgumentOutOfRangeException(nameof(LambdaMinRatio), r, "The ratio λ_min/λ_max must be in (0, 1].");
        if (Folds < 2)
            throw new ArgumentOutOfRangeException(nameof(Folds), Folds, "Cross-validation needs at least 2 folds.");
        if (!(Tolerance > 0 && double.IsFinite(Tolerance)))
            throw new ArgumentOutOfRangeException(nameof(Tolerance), Tolerance, "The tolerance must be a positive number.");
        if (MaxIterations < 1)
            throw new ArgumentOutOfRangeException(nameof(MaxIterations), MaxIterations, "At least one iteration is needed.");
        if (!Enum.IsDefined(Solver))
            throw new ArgumentOutOfRangeException(nameof(Solver), Solver, "Unknown group-lasso solver.");
        if (MaxDegreeOfParallelism is 0 or < -1)
            throw new ArgumentOutOfRangeException(nameof(MaxDegreeOfParallelism), MaxDegreeOfParallelism, "Use −1 (all cores) or a positive thread count.");
    }

    internal ParallelOptions ParallelOptions => new() { MaxDegreeOfParallelism = MaxDegreeOfParallelism };
}
