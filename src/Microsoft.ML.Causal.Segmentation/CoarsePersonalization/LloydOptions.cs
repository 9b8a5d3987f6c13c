namespace Microsoft.ML.Causal.Segmentation.CoarsePersonalization;

/// <summary>Options of <see cref="LloydSolver"/>. Every option has a default; they are validated when solving.</summary>
public sealed record LloydOptions
{
    /// <summary>Independent restarts, each from its own seeding; the best is kept (default 20; ≥ 1).</summary>
    public int Restarts { get; init; } = 20;

    /// <summary>Upper bound on alternation sweeps per restart (default 100; ≥ 1). Convergence is usually reached far earlier.</summary>
    public int MaximumIterations { get; init; } = 100;

    /// <summary>The seeding (default <see cref="LloydSeeding.ProfitPlusPlus"/>).</summary>
    public LloydSeeding Seeding { get; init; } = LloydSeeding.ProfitPlusPlus;

    /// <summary>
    /// When Lloyd converges, try the best exchange of one offered level for another level (priced exactly for all K·(M − K)
    /// exchanges in one O(N·M) pass) and resume Lloyd if it gains (default true). Lloyd alone stops at the first fixed point of
    /// its two steps; the exchange step escapes many of them (see the tests for how often each reaches the exact optimum).
    /// </summary>
    public bool SwapRefinement { get; init; } = true;

    /// <summary>Persons sampled (with replacement) for <see cref="LloydSeeding.ProfitPlusPlus"/> seeding (default 10 000; ≥ 1).</summary>
    public int SeedingSampleSize { get; init; } = 10_000;

    /// <summary>The seed; restart r uses seed + r (default 0).</summary>
    public int Seed { get; init; }

    /// <summary>Threads (default −1: all cores). The result does not depend on it.</summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;

    /// <summary>
    /// Optional smallest share per level of the matrix (length M, each in [0, 1]), binding when that level is offered.
    /// With any share bound, each assignment step is the exact transport problem of <see cref="CapacitatedAssignment"/>.
    /// </summary>
    public IReadOnlyList<double>? MinimumShares { get; init; }

    /// <summary>
    /// Optional largest share per level of the matrix (length M, each in [0, 1]; e.g. 0.2 for the deepest discount and 1 elsewhere),
    /// binding when that level is offered.
    /// </summary>
    public IReadOnlyList<double>? MaximumShares { get; init; }
}
