using System.Collections.Immutable;
using Microsoft.ML.Causal.Trainers;

namespace Microsoft.ML.Causal.Inference;

/// <summary>Average effects of every non-control arm against control, from one <see cref="AverageEffectEstimator"/> run.</summary>
/// <param name="Method">How they were estimated.</param>
/// <param name="Estimand">The population averaged over.</param>
/// <param name="ControlArm">The control arm's name.</param>
/// <param name="Effects">One effect per non-control arm, in arm order, each with its standard error.</param>
/// <param name="RowCount">Rows of the analysis (every arm).</param>
/// <param name="Overlap">The overlap of the propensities used (null for the difference in means, which uses none).</param>
public sealed record AverageEffectResult(AverageEffectMethod Method, Estimand Estimand, string ControlArm, ImmutableArray<AverageEffect> Effects, int RowCount,
    OverlapDiagnostics? Overlap)
{
    /// <summary>The effect of <paramref name="arm"/> against control.</summary>
    /// <exception cref="KeyNotFoundException">No such non-control arm.</exception>
    public AverageEffect this[string arm] => Effects.FirstOrDefault(e => e.Arm == arm)
        ?? throw new KeyNotFoundException($"'{arm}' is not a non-control arm of this result (arms: {string.Join(", ", Effects.Select(e => e.Arm))}).");

    /// <inheritdoc />
    public override string ToString() =>
        string.Join(Environment.NewLine, Effects.Select(e => e.ToString()).Append(Overlap is null ? $"n = {RowCount}" : $"n = {RowCount}; {Overlap}"));
}
