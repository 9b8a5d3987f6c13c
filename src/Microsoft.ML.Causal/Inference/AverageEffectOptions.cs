using Microsoft.ML.Causal.Learners;
using Microsoft.ML.Causal.Trainers;

namespace Microsoft.ML.Causal.Inference;

/// <summary>Options of <see cref="AverageEffectEstimator"/> (and of <c>ctx.Analysis.AverageTreatmentEffect</c>).</summary>
public sealed record AverageEffectOptions
{
    /// <summary>How the effect is estimated (default <see cref="AverageEffectMethod.Aipw"/>).</summary>
    public AverageEffectMethod Method { get; init; } = AverageEffectMethod.Aipw;

    /// <summary>The population averaged over (default <see cref="Estimand.Ate"/>).</summary>
    public Estimand Estimand { get; init; } = Estimand.Ate;

    /// <summary>Learner of the outcome models μ̂ₐ (AIPW and regression adjustment); default <see cref="CateDefaults.OutcomeLearner"/>.</summary>
    public IRegressionLearner? OutcomeLearner { get; init; }

    /// <summary>Learner of the propensity models ê when they are not known; default <see cref="CateDefaults.PropensityLearner"/>.</summary>
    public IClassificationLearner? PropensityLearner { get; init; }

    /// <summary>Cross-fitting folds K (default 5, stratified by arm): every nuisance prediction of a row comes from models fitted without it.</summary>
    public int Folds { get; init; } = 5;

    /// <summary>Propensities: learned (default) or known (a constant, arm shares, or the data's propensity column), and their clipping bounds.</summary>
    public PropensityOptions Propensity { get; init; } = new();

    /// <summary>Seed of the folds and learners (default: the fit context's seed).</summary>
    public int? Seed { get; init; }

    /// <summary>Most threads the nuisance fits use; 0 (default) keeps the fit context's setting (all cores unless it says otherwise). Results never depend on it.</summary>
    public int MaxDegreeOfParallelism { get; init; }
}
