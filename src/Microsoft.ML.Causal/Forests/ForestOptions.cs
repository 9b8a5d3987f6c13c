namespace Microsoft.ML.Causal.Forests;

/// <summary>
/// Options of the grf-style forest engine shared by <see cref="RegressionForest"/> and <see cref="CausalForest"/>.
/// Defaults are grf's (its argument names in brackets). One difference in kind: splits are searched over the
/// quantile bins of each feature (at most <see cref="MaxBins"/> of them, plus a bin for missing values), not over
/// every distinct value as grf does. A feature with at most <see cref="MaxBins"/> distinct values has exactly
/// grf's candidate splits; one with more has its candidates at ≤ 255 quantiles of the training data.
/// </summary>
public sealed record ForestOptions
{
    /// <summary>
    /// Number of trees [num.trees]. Default 2000. Rounded up to a whole number of groups of <see cref="CiGroupSize"/>.
    /// Intervals need more trees than point estimates (as grf advises): the little-bags variance V̂ is itself estimated
    /// from the tree groups, and its noise at 2000 trees makes some intervals too narrow — on Wager and Athey's
    /// design (n = 5000, d = 4, 40 draws) coverage of nominal-95 % intervals was 0.912 with 2000 trees, 0.929 with
    /// 8000 and 0.933 with 16 000, at the same τ̂ accuracy and mean width (benchmark RESULTS.md). Use 8000–16 000
    /// trees when the intervals matter.
    /// </summary>
    public int NumberOfTrees { get; init; } = 2000;

    /// <summary>
    /// Share of the rows (or clusters) each tree is grown on, without replacement [sample.fraction]. Default 0.5;
    /// must be ≤ 0.5 when <see cref="CiGroupSize"/> ≥ 2 (each group draws half of the units, and each of its trees
    /// 2·fraction of that half).
    /// </summary>
    public double SampleFraction { get; init; } = 0.5;

    /// <summary>Mean number of features tried per split [mtry]; null means min(⌈√p + 20⌉, p). Each split tries Poisson(mtry) features, clamped to [1, p].</summary>
    public int? Mtry { get; init; }

    /// <summary>
    /// Minimum node size [min.node.size]. Default 5. A node with at most this many rows is not split; the causal
    /// split rule also needs this many rows below and at or above the parent's mean treatment in each child.
    /// </summary>
    public int MinNodeSize { get; init; } = 5;

    /// <summary>Honest trees: splits from one part of each tree's sample, leaf statistics from the other [honesty]. Default true.</summary>
    public bool Honesty { get; init; } = true;

    /// <summary>Share of each tree's units used for choosing splits when honest [honesty.fraction]. Default 0.5.</summary>
    public double HonestyFraction { get; init; } = 0.5;

    /// <summary>
    /// Prune leaves that the estimation half leaves empty [honesty.prune.leaves]. Default true. Without pruning, a
    /// tree whose leaf at x is empty is skipped for x.
    /// </summary>
    public bool HonestyPruneLeaves { get; init; } = true;

    /// <summary>Each child must hold at least this share of the parent's size (rows; for causal splits Σw(W − W̄)²) [alpha]. Default 0.05, in [0, 0.25).</summary>
    public double Alpha { get; init; } = 0.05;

    /// <summary>Penalty λ subtracted from a split's gain as λ·(1/size_left + 1/size_right) [imbalance.penalty]. Default 0.</summary>
    public double ImbalancePenalty { get; init; }

    /// <summary>Trees per half-sample, for the bootstrap-of-little-bags variance [ci.group.size]. Default 2; 1 gives no variance estimates.</summary>
    public int CiGroupSize { get; init; } = 2;

    /// <summary>
    /// With clusters, let every drawn cluster contribute as many rows as the smallest cluster has, drawn at random
    /// [equalize.cluster.weights]. Default false: a drawn cluster contributes all its rows.
    /// </summary>
    public bool EqualizeClusterWeights { get; init; }

    /// <summary>Value bins per feature, 2 … 255 (our addition; grf uses every distinct value). Default 255.</summary>
    public int MaxBins { get; init; } = 255;

    /// <summary>
    /// Keep each leaf's estimation rows in the model, which forest kernel weights αᵢ(x) need (grf keeps them
    /// always). Default false: leaves keep only their sufficient statistics, so the model is much smaller.
    /// </summary>
    public bool KeepLeafSamples { get; init; }

    /// <summary>The seed; null takes the fit context's. Tree group g draws from <c>CausalContext.DeriveSeed(seed, g)</c>, so results do not depend on the thread count.</summary>
    public int? Seed { get; init; }

    /// <summary>Draw Poisson(mtry) features per split (grf); false tries exactly mtry (used by tests that need a known candidate set).</summary>
    internal bool PoissonFeatureDraws { get; init; } = true;

    internal int MtryFor(int features) => Math.Min(Mtry ?? (int)Math.Ceiling(Math.Sqrt(features) + 20), features);

    /// <summary>The number of trees actually grown: <see cref="NumberOfTrees"/> rounded up to whole groups.</summary>
    internal int GroupCount => (NumberOfTrees + CiGroupSize - 1) / CiGroupSize;

    internal void Validate(string component)
    {
        static void Check(bool ok, string component, string what)
        {
            if (!ok)
                throw new ArgumentOutOfRangeException(nameof(ForestOptions), $"{component}: {what}");
        }
        Check(NumberOfTrees >= 1, component, $"NumberOfTrees is {NumberOfTrees}; it must be at least 1.");
        Check(CiGroupSize >= 1, component, $"CiGroupSize is {CiGroupSize}; it must be at least 1.");
        Check(SampleFraction > 0 && SampleFraction <= (CiGroupSize >= 2 ? 0.5 : 1), component,
            $"SampleFraction is {SampleFraction}; it must be in (0, {(CiGroupSize >= 2 ? "0.5" : "1")}]{(CiGroupSize >= 2 ? " when CiGroupSize ≥ 2 (use CiGroupSize = 1 for larger fractions)" : "")}.");
        Check(Mtry is null or >= 1, component, $"Mtry is {Mtry}; it must be at least 1.");
        Check(MinNodeSize >= 1, component, $"MinNodeSize is {MinNodeSize}; it must be at least 1.");
        Check(HonestyFraction > 0 && HonestyFraction < 1, component, $"HonestyFraction is {HonestyFraction}; it must be in (0, 1).");
        Check(Alpha >= 0 && Alpha < 0.25, component, $"Alpha is {Alpha}; it must be in [0, 0.25).");
        Check(ImbalancePenalty >= 0 && double.IsFinite(ImbalancePenalty), component, $"ImbalancePenalty is {ImbalancePenalty}; it must be finite and non-negative.");
        Check(MaxBins is >= 2 and <= 255, component, $"MaxBins is {MaxBins}; it must be between 2 and 255.");
    }
}
