namespace Microsoft.ML.Causal.Learners.RandomForest;

/// <summary>How each tree of a random forest draws its rows.</summary>
public enum ForestSampling
{
    /// <summary>A share <see cref="RandomForestOptions.SampleFraction"/> of the rows, without replacement (grf's scheme).</summary>
    Subsample,
    /// <summary>n·<see cref="RandomForestOptions.SampleFraction"/> rows with replacement (Breiman's bootstrap when the fraction is 1).</summary>
    Bootstrap,
}

/// <summary>
/// Options of random forests (regression and probability). Defaults follow grf's <c>regression_forest</c>
/// (in brackets): 500 trees [num.trees 2000 — fewer here, as forests serve mostly as nuisance models; raise it for
/// final estimates], subsample half the rows [sample.fraction 0.5], mtry = min(⌈√p + 20⌉, p) [mtry], 5 rows per
/// leaf [min.node.size 5], honest splitting on half of each subsample [honesty TRUE, honesty.fraction 0.5].
/// </summary>
public sealed record RandomForestOptions
{
    /// <summary>Number of trees. Default 500.</summary>
    public int NumberOfTrees { get; init; } = 500;

    /// <summary>How rows are drawn per tree. Default <see cref="ForestSampling.Subsample"/>.</summary>
    public ForestSampling Sampling { get; init; } = ForestSampling.Subsample;

    /// <summary>Rows drawn per tree as a share of n, in (0, 1]. Default 0.5.</summary>
    public double SampleFraction { get; init; } = 0.5;

    /// <summary>Features tried at each split; null means min(⌈√p + 20⌉, p). Default null.</summary>
    public int? Mtry { get; init; }

    /// <summary>Rows per leaf at least (among the rows the tree splits on). Default 5.</summary>
    public int MinRowsInLeaf { get; init; } = 5;

    /// <summary>Depth at most; 0 means no limit. Default 0.</summary>
    public int MaxDepth { get; init; }

    /// <summary>
    /// Honest trees: split on one part of each tree's rows and set the leaf values from the other part, so a
    /// row never both places a split and estimates its leaf. Default true.
    /// </summary>
    public bool Honest { get; init; } = true;

    /// <summary>Share of each tree's rows used for splitting when <see cref="Honest"/>, in (0, 1). Default 0.5.</summary>
    public double HonestyFraction { get; init; } = 0.5;

    /// <summary>Value bins per feature (2 … 255). Default 255.</summary>
    public int MaxBins { get; init; } = 255;

    /// <summary>The seed; null takes the fit context's seed. Tree t draws from seed + t.</summary>
    public int? Seed { get; init; }

    internal int MtryFor(int features) => Math.Min(Mtry ?? (int)Math.Ceiling(Math.Sqrt(features) + 20), features);

    internal void Validate(string learner)
    {
        static void Check(bool ok, string learner, string what)
        {
            if (!ok)
                throw new ArgumentOutOfRangeException(nameof(RandomForestOptions), $"{learner}: {what}");
        }
        Check(NumberOfTrees >= 1, learner, $"NumberOfTrees is {NumberOfTrees}; it must be at least 1.");
        Check(Enum.IsDefined(Sampling), learner, $"Sampling {Sampling} is not defined.");
        Check(SampleFraction > 0 && SampleFraction <= 1, learner, $"SampleFraction is {SampleFraction}; it must be in (0, 1].");
        Check(Mtry is null or >= 1, learner, $"Mtry is {Mtry}; it must be at least 1.");
        Check(MinRowsInLeaf >= 1, learner, $"MinRowsInLeaf is {MinRowsInLeaf}; it must be at least 1.");
        Check(MaxDepth >= 0, learner, $"MaxDepth is {MaxDepth}; use 0 for no limit.");
        Check(HonestyFraction > 0 && HonestyFraction < 1, learner, $"HonestyFraction is {HonestyFraction}; it must be in (0, 1).");
        Check(MaxBins is >= 2 and <= 255, learner, $"MaxBins is {MaxBins}; it must be between 2 and 255.");
    }
}
