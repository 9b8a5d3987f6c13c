using Microsoft.ML.Causal.Evaluation;

namespace Microsoft.ML.Causal.Segmentation.CoarsePersonalization;

/// <summary>Scores coarse policies on a profit matrix — in simulation the true profits — and builds K = 1 … K_max curves.</summary>
public static class CoarseEvaluation
{
    /// <summary>Scores <paramref name="policy"/> (computed on any matrix of the same persons and levels) on <paramref name="truth"/>.</summary>
    /// <exception cref="ArgumentException">The policy's rows or levels do not match the matrix.</exception>
    public static CoarsePolicyScore Score(ProfitMatrix truth, CoarsePolicy policy)
    {
        ArgumentNullException.ThrowIfNull(truth);
        ArgumentNullException.ThrowIfNull(policy);
        Check(truth, policy);
        return Score(truth, policy, System.Numerics.Tensors.TensorPrimitives.Max(truth.LevelTotals()), truth.FullPersonalizationProfit());
    }

    private static void Check(ProfitMatrix truth, CoarsePolicy policy)
    {
        if (policy.RowCount != truth.RowCount)
            throw new ArgumentException($"CoarseEvaluation: the policy has {policy.RowCount} rows, the matrix {truth.RowCount}.", nameof(policy));
        if (policy.Levels.Count > 0 && policy.Levels[^1] >= truth.LevelCount)
            throw new ArgumentException($"CoarseEvaluation: the policy offers level {policy.Levels[^1]}, the matrix has {truth.LevelCount} levels.", nameof(policy));
    }

    private static CoarsePolicyScore Score(ProfitMatrix truth, CoarsePolicy policy, double single, double full)
    {
        var profit = 0.0;
        for (var i = 0; i < truth.RowCount; i++)
            profit += truth[i, policy.LevelOf(i)];
        var gap = full - single;
        var recovery = gap > 0 ? (profit - single) / gap : profit >= full ? 1 : 0;
        var ratio = full > 0 ? profit / full : profit >= full ? 1 : 0;
        return new CoarsePolicyScore(policy.Method, policy.Levels.Count, profit, single, full, recovery, ratio);
    }

    /// <summary>
    /// The curve K = 1 … <paramref name="maximumK"/> of a method: <paramref name="method"/>(K) computes the policy (on estimated
    /// or true profits), which is scored on <paramref name="truth"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maximumK"/> is not in [1, M].</exception>
    public static IReadOnlyList<CoarsePolicyScore> Curve(ProfitMatrix truth, int maximumK, Func<int, CoarsePolicy> method)
    {
        ArgumentNullException.ThrowIfNull(method);
        CoarseChecks.LevelCount("CoarseEvaluation.Curve", truth, maximumK);
        // The two references are the same for every K: two passes over the N × M matrix, not 2·K.
        var single = System.Numerics.Tensors.TensorPrimitives.Max(truth.LevelTotals());
        var full = truth.FullPersonalizationProfit();
        var scores = new CoarsePolicyScore[maximumK];
        for (var k = 1; k <= maximumK; k++)
        {
            var policy = method(k);
            ArgumentNullException.ThrowIfNull(policy);
            Check(truth, policy);
            scores[k - 1] = Score(truth, policy, single, full);
        }
        return scores;
    }

    /// <summary>
    /// The held-out doubly robust value of <paramref name="policy"/>: the policy's level of every evaluated row (its level names must
    /// be arms of the scores, as the treatment column writes them) evaluated by <see cref="DoublyRobustScores.EvaluatePolicy(ReadOnlySpan{int})"/>:
    /// its mean gain over giving everyone control, and over giving everyone each other arm, with standard errors. Compute the policy on
    /// the evaluation rows from estimates that did not use their outcomes (a CATE model fitted on other rows), and the scores with
    /// nuisances cross-fitted on those rows (<see cref="DoublyRobustScores.CrossFit"/>).
    /// </summary>
    /// <exception cref="ArgumentException">The policy's rows differ from the scores', or one of its levels is not an arm.</exception>
    public static PolicyValue PolicyValue(DoublyRobustScores scores, CoarsePolicy policy)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(policy);
        if (policy.RowCount != scores.RowCount)
            throw new ArgumentException($"CoarseEvaluation.PolicyValue: the policy has {policy.RowCount} rows, the doubly robust scores {scores.RowCount}; score the same rows in the same order.", nameof(policy));
        var armOfSegment = new int[policy.Levels.Count];
        for (var s = 0; s < armOfSegment.Length; s++)
        {
            armOfSegment[s] = scores.ArmNames.IndexOf(policy.LevelNames[s], 0, StringComparer.Ordinal);
            if (armOfSegment[s] < 0)
                throw new ArgumentException($"CoarseEvaluation.PolicyValue: the policy offers level '{policy.LevelNames[s]}', which is not an arm of the evaluation data ({string.Join(", ", scores.ArmNames)}); name the profit matrix's levels as the treatment column writes its arms.", nameof(policy));
        }
        var arms = new int[policy.RowCount];
        for (var i = 0; i < arms.Length; i++)
            arms[i] = armOfSegment[policy.Segments[i]];
        return scores.EvaluatePolicy(arms);
    }
}
