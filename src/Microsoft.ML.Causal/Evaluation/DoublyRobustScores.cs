using System.Collections.Immutable;
using System.Globalization;
using Microsoft.ML.Causal.Inference;
using Microsoft.ML.Causal.Learners;
using Microsoft.ML.Causal.Trainers;

namespace Microsoft.ML.Causal.Evaluation;

/// <summary>
/// The AIPW (doubly robust) scores of a set of rows, the basis of policy evaluation (layer 3): for every arm a
/// and row i, Γᵢ(a) = μ̂ₐ − μ̂_c + 1{Wᵢ=a}(Yᵢ − μ̂ₐ)/êₐ − 1{Wᵢ=c}(Yᵢ − μ̂_c)/ê_c, with c the control arm and
/// Γᵢ(c) = 0. The mean of Γᵢ(a) estimates the effect of a; the mean of Γᵢ(π(xᵢ)) estimates the gain of a rule π
/// over giving everyone control (Athey and Wager 2021), doubly robust: consistent when either the outcome models
/// or the propensities are right.
/// </summary>
/// <remarks>
/// Evaluate a rule on rows it was not learned from. <see cref="CrossFit"/> fits the nuisances on the evaluation
/// rows themselves by K-fold cross-fitting (each row's μ̂ and ê come from models that did not see it), so the
/// CATE model behind the rule is fitted on training rows and everything else here uses only the held-out rows.
/// <see cref="FromNuisances"/> takes nuisances computed elsewhere (e.g. known, or fitted on the training rows).
/// Every estimate is a weighted mean Σwᵢdᵢ/Σwᵢ whose standard error is that of its influence function
/// (sd/√n without weights and clusters; summed within clusters when the data have cluster ids).
/// </remarks>
public sealed class DoublyRobustScores
{
    private const string Component = "policy evaluation";
    private readonly double[][] _scores;
    private readonly double[] _weights;
    private readonly int[] _clusters;

    private DoublyRobustScores(ImmutableArray<string> armNames, int control, double[][] scores, double[] weights, int[] clusters, string nuisances, OverlapDiagnostics? overlap)
    {
        ArmNames = armNames;
        Control = control;
        _scores = scores;
        _weights = weights;
        _clusters = clusters;
        Nuisances = nuisances;
        Overlap = overlap;
    }

    /// <summary>Every arm in arm order, control included.</summary>
    public ImmutableArray<string> ArmNames { get; }

    /// <summary>The control arm's index in <see cref="ArmNames"/>.</summary>
    public int Control { get; }

    /// <summary>Rows scored: the rows of the data (its <see cref="CateData.Rows"/> when given), in that order.</summary>
    public int RowCount => _weights.Length;

    /// <summary>How the nuisances were obtained.</summary>
    public string Nuisances { get; }

    /// <summary>The overlap of the propensities used (null when they were given).</summary>
    public OverlapDiagnostics? Overlap { get; }

    /// <summary>Γᵢ(<paramref name="arm"/>) of every scored row (all 0 for the control arm).</summary>
    public ReadOnlySpan<double> ScoresOf(string arm) => _scores[ArmIndex(arm, nameof(arm))];

    /// <summary>
    /// Scores from nuisances computed elsewhere, each indexed like the rows of <see cref="CateData.Features"/>:
    /// the outcome model μ̂ₐ(xᵢ) and the propensity êₐ(xᵢ) of every arm (in arm order). Propensities are used as
    /// given (not clipped); they must lie strictly between 0 and 1.
    /// </summary>
    /// <exception cref="DataValidationException">An outcome is not finite, or a nuisance is not finite or a propensity not in (0, 1); the message names the row.</exception>
    /// <exception cref="ArgumentException">The treatment is continuous, or there is not one nuisance array per arm of one value per row.</exception>
    public static DoublyRobustScores FromNuisances(CateData data, IReadOnlyList<double[]> armOutcomes, IReadOnlyList<double[]> propensities)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(armOutcomes);
        ArgumentNullException.ThrowIfNull(propensities);
        Check(data);
        var arms = data.Treatment.ArmNames.Length;
        var n = data.Features.RowCount;
        if (armOutcomes.Count != arms || propensities.Count != arms)
            throw new ArgumentException($"{Component}: {armOutcomes.Count} outcome models and {propensities.Count} propensities for {arms} arms; give one of each per arm, in arm order.");
        for (var a = 0; a < arms; a++)
        {
            if (armOutcomes[a]?.Length != n || propensities[a]?.Length != n)
                throw new ArgumentException($"{Component}: the nuisances of arm '{data.Treatment.ArmNames[a]}' must hold one value per row of the features ({n}).");
        }
        foreach (var r in data.RowIndices())
        {
            for (var a = 0; a < arms; a++)
            {
                var name = data.Treatment.ArmNames[a];
                if (!double.IsFinite(armOutcomes[a][r]))
                    throw DataValidationException.NotFinite(Component, $"outcome model of arm '{name}'", r, armOutcomes[a][r], "Outcome predictions must be finite.");
                if (!(propensities[a][r] > 0 && propensities[a][r] < 1))
                {
                    throw new DataValidationException(Component, $"propensity of arm '{name}'", r,
                        $"the propensity is {propensities[a][r]}; it must lie strictly between 0 and 1.", "Clip the propensities (e.g. to [0.01, 0.99]) or drop rows without overlap.");
                }
            }
        }
        return Build(data, armOutcomes, propensities, "given", null);
    }

    /// <summary>
    /// Scores with nuisances cross-fitted on <paramref name="data"/> itself (see the remarks): K-fold, stratified by
    /// arm, outcome models per arm and propensities learned (or known from the options) and clipped.
    /// </summary>
    /// <exception cref="DataValidationException">An outcome is not finite, the treatment is continuous, or an arm has too few rows for the folds; the message names the column and row.</exception>
    public static DoublyRobustScores CrossFit(CateData data, PolicyEvaluationOptions? options = null, FitContext? context = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        options ??= new PolicyEvaluationOptions();
        context ??= FitContext.Default;
        context = context with { Seed = options.Seed ?? context.Seed };
        if (options.Folds < 2)
            throw new ArgumentOutOfRangeException(nameof(options), options.Folds, $"{Component}: cross-fitting needs at least 2 folds.");
        Check(data);
        options.Propensity.Validate(data.Treatment, Component);
        data.RequireRowsPerArm(Component, 2 * options.Folds, $"{options.Folds}-fold cross-fitting");
        var cache = new NuisanceCache(data, options.Folds, options.OutcomeLearner, options.PropensityLearner, options.Propensity, context, Component);
        var mu = cache.ArmOutcomes;
        var e = cache.Propensities;
        return Build(data, mu, e, string.Create(CultureInfo.InvariantCulture, $"cross-fitted on the {data.Count:N0} evaluation rows in {options.Folds} folds"), cache.Overlap);
    }

    /// <summary>
    /// Evaluates the rule that gives row i the arm <paramref name="assignment"/>[i] (a code into <see cref="ArmNames"/>),
    /// one entry per scored row: its gain over control is the weighted mean of Γᵢ(π(xᵢ)), its gain over giving
    /// everyone arm b the mean of Γᵢ(π(xᵢ)) − Γᵢ(b).
    /// </summary>
    /// <exception cref="ArgumentException">The assignment does not hold one arm per row, or names no arm.</exception>
    public PolicyValue EvaluatePolicy(ReadOnlySpan<int> assignment)
    {
        if (assignment.Length != RowCount)
            throw new ArgumentException($"{Component}: the policy gives {assignment.Length} arms for {RowCount} rows; give one arm per evaluated row, in row order.", nameof(assignment));
        var arms = ArmNames.Length;
        var shares = new double[arms];
        double total = 0;
        for (var i = 0; i < assignment.Length; i++)
        {
            if ((uint)assignment[i] >= (uint)arms)
                throw new ArgumentException($"{Component}: row {i} of the policy has arm code {assignment[i]}; codes are 0 … {arms - 1} ({string.Join(", ", ArmNames)}).", nameof(assignment));
            shares[assignment[i]] += _weights[i];
            total += _weights[i];
        }
        var gains = ImmutableArray.CreateBuilder<PolicyGain>(arms);
        var a = new double[RowCount];
        for (var b = 0; b < arms; b++)
        {
            for (var i = 0; i < a.Length; i++)
                a[i] = _weights[i] * (_scores[assignment[i]][i] - _scores[b][i]);
            var (estimate, se) = RatioEstimator.Compute(a, _weights, _clusters);
            var baseline = b == Control ? $"everyone on control '{ArmNames[b]}'" : $"everyone on '{ArmNames[b]}'";
            gains.Add(new PolicyGain(baseline, estimate, se, RowCount));
        }
        return new PolicyValue(ArmNames, Control, [.. shares.Select(s => s / total)], gains.MoveToImmutable(), Nuisances);
    }

    /// <summary>Evaluates a rule for a binary treatment: <paramref name="treat"/>[i] gives row i the treated arm, else control.</summary>
    /// <exception cref="ArgumentException">The treatment has more than two arms, or the rule does not hold one value per row.</exception>
    public PolicyValue EvaluatePolicy(IReadOnlyList<bool> treat)
    {
        ArgumentNullException.ThrowIfNull(treat);
        if (ArmNames.Length != 2)
            throw new ArgumentException($"{Component}: a treat/do-not-treat rule needs a binary treatment; with {ArmNames.Length} arms give one arm name per row.", nameof(treat));
        var codes = new int[treat.Count];
        for (var i = 0; i < codes.Length; i++)
            codes[i] = treat[i] ? 1 - Control : Control;
        return EvaluatePolicy(codes);
    }

    /// <summary>Evaluates a rule given as one arm name per row (as written in <see cref="ArmNames"/>).</summary>
    /// <exception cref="ArgumentException">A name is not an arm, or the rule does not hold one value per row.</exception>
    public PolicyValue EvaluatePolicy(IReadOnlyList<string> arms)
    {
        ArgumentNullException.ThrowIfNull(arms);
        var codes = new int[arms.Count];
        for (var i = 0; i < codes.Length; i++)
        {
            codes[i] = ArmNames.IndexOf(arms[i], StringComparer.Ordinal);
            if (codes[i] < 0)
                throw new ArgumentException($"{Component}: row {i} of the policy names arm '{arms[i]}'; the arms are {string.Join(", ", ArmNames)}.", nameof(arms));
        }
        return EvaluatePolicy(codes);
    }

    /// <summary>
    /// The AIPW average effect of <paramref name="arm"/> (default: the only non-control arm) over the rows with
    /// <paramref name="subset"/>[i] true — the effect of a segment, with the standard error of that mean (not a
    /// summary of per-row intervals).
    /// </summary>
    /// <exception cref="ArgumentException">The subset does not hold one flag per row or has fewer than two rows, or the arm is unknown.</exception>
    public AverageEffect SubsetEffect(IReadOnlyList<bool> subset, string? arm = null)
    {
        ArgumentNullException.ThrowIfNull(subset);
        if (subset.Count != RowCount)
            throw new ArgumentException($"{Component}: the subset flags {subset.Count} rows of {RowCount}; give one flag per evaluated row, in row order.", nameof(subset));
        int k;
        if (arm is null)
        {
            if (ArmNames.Length != 2)
                throw new ArgumentException($"{Component}: with {ArmNames.Length} arms name the arm whose effect to average.", nameof(arm));
            k = 1 - Control;
        }
        else
        {
            k = ArmIndex(arm, nameof(arm));
        }
        var rows = Enumerable.Range(0, RowCount).Where(i => subset[i]).ToArray();
        if (rows.Length < 2)
            throw new ArgumentException($"{Component}: the subset has {rows.Length} rows; an average effect with a standard error needs at least 2.", nameof(subset));
        var a = rows.Select(i => _weights[i] * _scores[k][i]).ToArray();
        var b = rows.Select(i => _weights[i]).ToArray();
        var clusters = _clusters.Length == 0 ? [] : rows.Select(i => _clusters[i]).ToArray();
        var (estimate, se) = RatioEstimator.Compute(a, b, clusters);
        return new AverageEffect(ArmNames[k], Estimand.Ate, "aipw", estimate, se, rows.Length);
    }

    private static void Check(CateData data)
    {
        data.Validate(Component);
        if (data.Treatment.IsContinuous)
        {
            throw new DataValidationException(Component, data.Treatment.ColumnName, null,
                "the treatment is continuous; a policy assigns discrete arms.", "Bin the dose into arms to evaluate a rule over them.");
        }
    }

    private static DoublyRobustScores Build(CateData data, IReadOnlyList<double[]> mu, IReadOnlyList<double[]> e, string nuisances, OverlapDiagnostics? overlap)
    {
        var t = data.Treatment;
        var rows = data.RowIndices();
        var y = data.Outcome.Span;
        var codes = t.Arms;
        var c = t.Control;
        var scores = new double[t.ArmNames.Length][];
        for (var a = 0; a < scores.Length; a++)
        {
            scores[a] = new double[rows.Length];
            if (a == c)
                continue;
            for (var i = 0; i < rows.Length; i++)
            {
                var r = rows[i];
                scores[a][i] = AipwScore.Of(y[r], codes[r], a, c, mu[a][r], mu[c][r], e[a][r], e[c][r]);
            }
        }
        var weights = rows.Select(data.WeightOf).ToArray();
        var clusters = data.ClustersOf(rows);
        return new DoublyRobustScores(t.ArmNames, c, scores, weights, clusters, nuisances, overlap);
    }

    private int ArmIndex(string arm, string parameter)
    {
        ArgumentNullException.ThrowIfNull(arm, parameter);
        var a = ArmNames.IndexOf(arm, StringComparer.Ordinal);
        return a >= 0 ? a : throw new ArgumentException($"'{arm}' is not an arm; the arms are {string.Join(", ", ArmNames)}.", parameter);
    }
}
