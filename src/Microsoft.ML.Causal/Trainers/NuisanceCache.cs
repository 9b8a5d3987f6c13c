using Microsoft.ML.Causal.Learners;

namespace Microsoft.ML.Causal.Trainers;

/// <summary>The cross-fitted nuisances of one fit, each computed on first use and then shared (e.g. the DR-learner's μ̂ and ê also give the AIPW average effects).</summary>
internal sealed class NuisanceCache(CateData data, CateOptions options, FitContext context, string component)
{
    private int[]? _folds;
    private double[][]? _armOutcomes;
    private (double[][] E, OverlapDiagnostics Overlap)? _propensities;
    private double[]? _outcome;
    private double[]? _dose;

    public CateData Data => data;

    public FitContext Context => context;

    public int[] Folds => _folds ??= CrossFitting.Folds(data, options.Folds, CausalContext.DeriveSeed(context.Seed, 1));

    public IRegressionLearner OutcomeLearner => options.OutcomeLearner ?? CateDefaults.OutcomeLearner();

    public IClassificationLearner PropensityLearner => options.PropensityLearner ?? CateDefaults.PropensityLearner();

    public double[][] ArmOutcomes => _armOutcomes ??= Nuisances.ArmOutcomes(data, Folds, options.Folds, OutcomeLearner, context);

    public double[][] Propensities => (_propensities ??= Nuisances.Propensities(data, Folds, options.Folds, options.Propensity, PropensityLearner, context, component)).E;

    public OverlapDiagnostics? Overlap => _propensities?.Overlap;

    public double[] Outcome => _outcome ??= Nuisances.Outcome(data, Folds, options.Folds, OutcomeLearner, context);

    public double[] Dose => _dose ??= Nuisances.Dose(data, Folds, options.Folds, OutcomeLearner, context);
}
