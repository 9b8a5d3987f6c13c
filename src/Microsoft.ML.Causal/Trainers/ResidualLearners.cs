using System.Collections.Immutable;
using Microsoft.ML.Causal.Inference;
using Microsoft.ML.Causal.Learners;

namespace Microsoft.ML.Causal.Trainers;

/// <summary>
/// R-learner (Nie and Wager 2021): with cross-fitted m̂(x) = E[Y | x] and ê(x), τ̂ minimizes
/// Σ wᵢ[(Yᵢ − m̂ᵢ) − (Wᵢ − êᵢ)τ(xᵢ)]², fitted as a regression of (Y − m̂)/(W − ê) with weights (W − ê)². Several
/// arms: each against control on the rows of those two arms. Intervals by bootstrap.
/// </summary>
public sealed class RLearner(FinalStageOptions? options = null) : CateLearner<FinalStageOptions>(options ?? new FinalStageOptions())
{
    /// <inheritdoc />
    public override string Method => "r";

    private protected override CateModel FitOnce(NuisanceCache cache, string component)
    {
        var data = cache.Data;
        var t = data.Treatment;
        var y = data.Outcome.Span;
        var codes = t.Arms.ToArray();
        var n = data.Features.RowCount;
        var final = Options.FinalLearner ?? CateDefaults.FinalLearner();
        var models = ImmutableArray.CreateBuilder<IRegressionModel>(t.EffectCount);
        for (var k = 0; k < t.EffectCount; k++)
        {
            var a = t.ArmOfEffect(k);
            Func<int, bool> pair = r => codes[r] == a || codes[r] == t.Control;
            double[] m, e;
            if (t.ArmNames.Length == 2)
            {
                m = cache.Outcome;
                e = cache.Propensities[a];
            }
            else
            {
                m = CrossFitting.Regression(data, cache.Folds, Options.Folds, data.Outcome.ToArray(), pair, cache.OutcomeLearner,
                    cache.Context with { Seed = CausalContext.DeriveSeed(cache.Context.Seed, 800 + a) }, $"outcome model of arms '{t.ArmNames[a]}' and control");
                e = PairPropensity(cache, a, pair);
            }
            var labels = new double[n];
            var weights = new double[n];
            foreach (var r in data.RowIndices())
            {
                if (!pair(r))
                    continue;
                var residual = (codes[r] == a ? 1 : 0) - e[r]; // never 0: ê is clipped inside (0, 1)
                labels[r] = (y[r] - m[r]) / residual;
                weights[r] = data.WeightOf(r) * residual * residual;
            }
            var training = CrossFitting.TrainingOn(data, cache.Folds, -1, labels, pair, "R-learner final stage") with { Weights = weights };
            models.Add(final.Fit(training, cache.Context with { Seed = CausalContext.DeriveSeed(cache.Context.Seed, 900 + k) }));
        }
        return new FinalStageModel(CateModelHeader.For(Method, data), models.MoveToImmutable());
    }

    /// <summary>P(arm a | x, arm a or control), cross-fitted on those rows (or known from the options), clipped.</summary>
    private double[] PairPropensity(NuisanceCache cache, int arm, Func<int, bool> pair)
    {
        var data = cache.Data;
        var t = data.Treatment;
        var n = data.Features.RowCount;
        double[] e;
        if (Options.Propensity.ArmShares is { } shares)
        {
            e = new double[n];
            Array.Fill(e, shares[arm] / (shares[arm] + shares[t.Control]));
        }
        else
        {
            var codes = t.Arms.ToArray();
            var labels = codes.Select(w => w == arm ? 1.0 : 0.0).ToArray();
            e = CrossFitting.Classification(data, cache.Folds, Options.Folds, labels, pair, cache.PropensityLearner,
                cache.Context with { Seed = CausalContext.DeriveSeed(cache.Context.Seed, 850 + arm) }, $"propensity model of arm '{t.ArmNames[arm]}' against control");
        }
        for (var r = 0; r < n; r++)
            e[r] = Math.Clamp(e[r], Options.Propensity.ClipLower, Options.Propensity.ClipUpper);
        return e;
    }
}

/// <summary>
/// DR-learner (Kennedy 2023): with cross-fitted μ̂ₐ and ê (clipped), the AIPW pseudo-outcome
/// φᵢ = μ̂ₐ − μ̂_c + 1{Wᵢ=a}(Yᵢ − μ̂ₐ)/êₐ − 1{Wᵢ=c}(Yᵢ − μ̂_c)/ê_c is regressed on x by the final learner, one
/// regression per arm against control. Its average is the AIPW ATE the model reports. Intervals by bootstrap.
/// </summary>
public sealed class DRLearner(FinalStageOptions? options = null) : CateLearner<FinalStageOptions>(options ?? new FinalStageOptions())
{
    /// <inheritdoc />
    public override string Method => "dr";

    private protected override CateModel FitOnce(NuisanceCache cache, string component)
    {
        var data = cache.Data;
        var t = data.Treatment;
        var y = data.Outcome.Span;
        var codes = t.Arms;
        var mu = cache.ArmOutcomes;
        var e = cache.Propensities;
        var c = t.Control;
        var final = Options.FinalLearner ?? CateDefaults.FinalLearner();
        var models = ImmutableArray.CreateBuilder<IRegressionModel>(t.EffectCount);
        for (var k = 0; k < t.EffectCount; k++)
        {
            var a = t.ArmOfEffect(k);
            var phi = new double[data.Features.RowCount];
            foreach (var r in data.RowIndices())
                phi[r] = AipwScore.Of(y[r], codes[r], a, c, mu[a][r], mu[c][r], e[a][r], e[c][r]);
            var training = CrossFitting.TrainingOn(data, cache.Folds, -1, phi, _ => true, "DR-learner final stage");
            models.Add(final.Fit(training, cache.Context with { Seed = CausalContext.DeriveSeed(cache.Context.Seed, 900 + k) }));
        }
        return new FinalStageModel(CateModelHeader.For(Method, data), models.MoveToImmutable());
    }
}
