using Microsoft.ML.Causal.Learners;

namespace Microsoft.ML.Causal.Trainers;

/// <summary>The cross-fitted nuisances of one fit, each computed on first use and then shared (e.g. the DR-learner's μ̂ and ê also give the AIPW average effects).</summary>
internal sealed class NuisanceCache(CateData data, int folds, IRegressionLearner? outcomeLearner, IClassificationLearner? propensityLearner,
    PropensityOptions propensity, FitContext context, string component)
{
    private int[]? _folds;
    private double[][]? _armOutcomes;
    private (double[][] E, OverlapDiagnostics Overlap)? _propensities;
    private double[]? _outcome;
    private double[]? _dose;

    /// <summary>The nuisances of a CATE fit with <paramref name="options"/>.</summary>
    public NuisanceCache(CateData data, CateOptions options, FitContext context, string component)
        : this(data, options.Folds, options.OutcomeLearner, options.PropensityLearner, options.Propensity, context, component)
    {
    }

    public CateData Data => data;

    public FitContext Context => context;

    public int[] Folds => _folds ??= CrossFitting.Folds(data, folds, CausalContext.DeriveSeed(context.Seed, 1));

    /// <summary>Whether the options gave an outcome learner (rather than leaving the default).</summary>
    public bool HasOutcomeLearner => outcomeLearner is not null;

    public IRegressionLearner OutcomeLearner => outcomeLearner ?? CateDefaults.OutcomeLearner();

    public IClassificationLearner PropensityLearner => propensityLearner ?? CateDefaults.PropensityLearner();

    public double[][] ArmOutcomes => _armOutcomes ??= Nuisances.ArmOutcomes(data, Folds, folds, OutcomeLearner, context);

    public double[][] Propensities => (_propensities ??= Nuisances.Propensities(data, Folds, folds, propensity, PropensityLearner, context, component)).E;

    public OverlapDiagnostics? Overlap => _propensities?.Overlap;

    public double[] Outcome => _outcome ??= Nuisances.Outcome(data, Folds, folds, OutcomeLearner, context);

    public double[] Dose => _dose ??= Nuisances.Dose(data, Folds, folds, OutcomeLearner, context);
}
