namespace Microsoft.ML.Causal.Segmentation.CoarsePersonalization;

/// <summary>
/// Options of <see cref="CoarsePersonalizationTrainer"/> (<c>ctx.Segmentation.CoarsePersonalization</c>). Every option has a
/// default; they are validated when the trainer is created.
/// </summary>
public sealed record CoarsePersonalizationOptions
{
    /// <summary>K, the most treatment levels offered (default 5; ≥ 1 and at most the number of levels).</summary>
    public int OfferedLevels { get; init; } = 5;

    /// <summary>
    /// The multi-arm CATE column read: a Vector&lt;Double&gt; with one slot per non-control level, the level names as slot
    /// names (what a multi-arm <c>CateTransformer</c> adds as <c>Cate</c>; default "Cate").
    /// </summary>
    public string CateColumnName { get; init; } = "Cate";

    /// <summary>The control level's name (profit 0), as the treatment column writes it (default "0").</summary>
    public string ControlLevel { get; init; } = "0";

    /// <summary>How τ̂ becomes profit (default <see cref="ProfitFormula.NetProfitOutcome"/>: the CATE outcome is the net profit).</summary>
    public ProfitFormula Profit { get; init; } = ProfitFormula.NetProfitOutcome;

    /// <summary>
    /// A numeric column with b̂ᵢ, the expected outcome at control, read when <see cref="ProfitFormula.DiscountsOutcome"/> is set
    /// (then required, at fitting and at scoring); default none.
    /// </summary>
    public string? BaselineColumnName { get; init; }

    /// <summary>
    /// The step-2 solver's options: restarts, seeding, swap refinement, and optional minimum/maximum shares per level (one per
    /// level, control first, then the CATE column's slots). Its seed is replaced by <see cref="Seed"/> or the catalog's component seed.
    /// </summary>
    public LloydOptions Solver { get; init; } = new();

    /// <summary>The solver's seed (default: the context's next component seed).</summary>
    public int? Seed { get; init; }
}
