using System.Globalization;

namespace Microsoft.ML.Causal.Segmentation.CoarsePersonalization;

/// <summary>
/// How an estimated incremental outcome becomes an expected incremental profit: for person i and treatment level t
/// (a promotion depth), with τ̂ᵢ(t) the estimated effect of t against the control level t₀ on the outcome,
/// <code>
///   π̂ᵢ(t) = (m − δ·d(t))·τ̂ᵢ(t) − δ·d(t)·b̂ᵢ − c·1[t ≠ t₀],     π̂ᵢ(t₀) = 0,
/// </code>
/// where m is <see cref="Margin"/> (profit per unit of outcome before any discount), c is <see cref="PromotionCost"/>
/// (the cost of promoting one person at any level other than control), d(t) = <see cref="DepthScale"/>·t is the
/// depth as a share of the outcome given away, δ = 1 when <see cref="DiscountsOutcome"/> is set (else 0), and b̂ᵢ is
/// the person's expected outcome at the control level (the baseline).
/// </summary>
/// <remarks>
/// <para>
/// This is the incremental profit of <see cref="Simulation.PromotionSimulation"/> exactly: there the profit at depth t is
/// spend·(m − t) − c·1[t &gt; 0], so with the outcome <c>spend</c> (list-price value), E[profit | t] − E[profit | 0] =
/// (m − t)·μ(t) − c − m·μ(0) = (m − t)·τ(t) − t·μ(0) − c: margin m, cost c, <see cref="DiscountsOutcome"/> = true, the
/// baseline b = μ(0) the expected spend without a promotion. The discount is also given away on what the person would
/// have bought anyway, which is why the baseline enters.
/// </para>
/// <para>
/// When the outcome is already the net profit (the simulator's <c>profit</c> column, which has margin, discount and
/// cost in it), use <see cref="NetProfitOutcome"/> (m = 1, c = 0, no discount term): then π̂ᵢ(t) = τ̂ᵢ(t), the
/// estimated effect itself, with no baseline needed. The default is that formula.
/// </para>
/// </remarks>
public sealed record ProfitFormula
{
    /// <summary>The formula for an outcome that is already the net profit: π̂ᵢ(t) = τ̂ᵢ(t).</summary>
    public static ProfitFormula NetProfitOutcome { get; } = new();

    /// <summary>m, profit per unit of (incremental) outcome before any discount: e.g. the gross margin as a share of list-price spend (default 1; finite).</summary>
    public double Margin { get; init; } = 1;

    /// <summary>c, the cost of promoting one person at any level other than control (default 0; finite, ≥ 0).</summary>
    public double PromotionCost { get; init; }

    /// <summary>
    /// Whether the level's depth is a share of the outcome given away on everything the person buys, baseline purchases
    /// included (default false). When true, every level's name must be a number and a baseline b̂ᵢ is needed.
    /// </summary>
    public bool DiscountsOutcome { get; init; }

    /// <summary>
    /// d(t) = DepthScale·t converts a level's value (its name read as a number) into the share of the outcome given away
    /// (default 1, levels written as fractions such as 0.15; use 0.01 for levels written in percent such as 15).
    /// Only used when <see cref="DiscountsOutcome"/> is true; finite, ≥ 0.
    /// </summary>
    public double DepthScale { get; init; } = 1;

    /// <summary>π̂ at a non-control level of depth share <paramref name="depth"/> (= d(t)), incremental outcome <paramref name="effect"/> and baseline <paramref name="baseline"/>.</summary>
    public double Profit(double depth, double effect, double baseline)
    {
        var d = DiscountsOutcome ? depth : 0;
        return (Margin - d) * effect - d * baseline - PromotionCost;
    }

    /// <summary>Checks the numbers; <paramref name="component"/> names the caller.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A number is not finite or is negative where it must not be.</exception>
    public void Validate(string component)
    {
        if (!double.IsFinite(Margin))
            throw new ArgumentOutOfRangeException(nameof(Margin), Margin, $"{component}: the margin must be a finite number.");
        if (!(PromotionCost >= 0 && double.IsFinite(PromotionCost)))
            throw new ArgumentOutOfRangeException(nameof(PromotionCost), PromotionCost, $"{component}: the promotion cost must be finite and ≥ 0.");
        if (!(DepthScale >= 0 && double.IsFinite(DepthScale)))
            throw new ArgumentOutOfRangeException(nameof(DepthScale), DepthScale, $"{component}: the depth scale must be finite and ≥ 0 (e.g. 0.01 for levels written in percent).");
    }

    /// <summary>
    /// d(t) of every level (0 for all when <see cref="DiscountsOutcome"/> is false): the level names read as invariant numbers times
    /// <see cref="DepthScale"/>.
    /// </summary>
    /// <exception cref="ArgumentException">A level name is not a number while <see cref="DiscountsOutcome"/> is set; the message names it.</exception>
    public double[] Depths(IReadOnlyList<string> levelNames, string component)
    {
        ArgumentNullException.ThrowIfNull(levelNames);
        var depths = new double[levelNames.Count];
        if (!DiscountsOutcome)
            return depths;
        for (var j = 0; j < depths.Length; j++)
        {
            if (!double.TryParse(levelNames[j], NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
            {
                throw new ArgumentException($"{component}: level '{levelNames[j]}' is not a number, so its discount depth is unknown. " +
                    "Name the levels by their depth (e.g. 0, 5, 10 with DepthScale 0.01), or turn DiscountsOutcome off.", nameof(levelNames));
            }
            depths[j] = value * DepthScale;
        }
        return depths;
    }
}
