using Microsoft.ML.Causal.Data;
using Microsoft.ML.Causal.Inference;
using Microsoft.ML.Causal.Learners;
using Microsoft.ML.Causal.Trainers;

namespace Microsoft.ML.Causal;

/// <summary>Analyses of experiments and observational data: <c>ctx.Analysis</c>.</summary>
public sealed class CausalAnalysisCatalog
{
    private const string Component = "AverageTreatmentEffect";

    internal CausalAnalysisCatalog(CausalContext context) => Context = context;

    /// <summary>The context this catalog belongs to.</summary>
    public CausalContext Context { get; }

    /// <summary>
    /// The average effect of every non-control arm of <paramref name="treatmentColumnName"/> on
    /// <paramref name="outcomeColumnName"/> (see <see cref="AverageEffectEstimator"/> for the methods and their
    /// standard errors). Any number of discrete arms (two or more).
    /// </summary>
    /// <param name="data">The rows.</param>
    /// <param name="outcomeColumnName">The outcome: a numeric scalar.</param>
    /// <param name="treatmentColumnName">The treatment: numeric, Boolean, Key or Text (see <see cref="CateColumns"/>).</param>
    /// <param name="featureColumnName">The covariates, a Vector&lt;Double&gt; (build it with <c>ctx.Transforms.Featurize</c>).</param>
    /// <param name="estimand">The population averaged over (default the ATE).</param>
    /// <param name="method">The estimator (default AIPW).</param>
    /// <param name="weightColumnName">Optional non-negative row weights.</param>
    /// <param name="clusterColumnName">Optional cluster ids for cluster-robust standard errors.</param>
    /// <param name="propensityColumnName">Optional known P(treated | x) of a binary treatment (then exactly two arms).</param>
    /// <param name="controlArm">The control arm as written (default "0" or false if present, else the first arm).</param>
    /// <exception cref="SchemaMismatchException">A column is missing or of the wrong type.</exception>
    /// <exception cref="DataValidationException">A bad value, named by column and row; one arm only; an arm too small.</exception>
    public AverageEffectResult AverageTreatmentEffect(ICausalDataView data, string outcomeColumnName = "Outcome", string treatmentColumnName = "Treatment",
        string featureColumnName = "Features", Estimand estimand = Estimand.Ate, AverageEffectMethod method = AverageEffectMethod.Aipw,
        string? weightColumnName = null, string? clusterColumnName = null, string? propensityColumnName = null, string? controlArm = null)
    {
        var columns = new CateColumns(outcomeColumnName, treatmentColumnName, featureColumnName)
        {
            TreatmentKind = propensityColumnName is null ? TreatmentKind.MultiArm : TreatmentKind.Binary,
            ControlArm = controlArm,
            Weight = weightColumnName,
            Cluster = clusterColumnName,
            Propensity = propensityColumnName,
        };
        return AverageTreatmentEffect(data, columns, new AverageEffectOptions { Estimand = estimand, Method = method });
    }

    /// <summary>
    /// The average effect of every non-control arm with explicit columns and options (learners, folds, known
    /// propensities and clipping, seed, threads). The seed is the options' <c>Seed</c>, else the context's next
    /// component seed.
    /// </summary>
    /// <param name="data">The rows.</param>
    /// <param name="columns">The columns; <see cref="TreatmentKind.MultiArm"/> accepts any number of arms, <see cref="TreatmentKind.Binary"/> exactly two.</param>
    /// <param name="options">The estimator's options (default: AIPW of the ATE).</param>
    /// <exception cref="SchemaMismatchException">A column is missing or of the wrong type.</exception>
    /// <exception cref="DataValidationException">A bad value, named by column and row; a continuous treatment; one arm only; an arm too small.</exception>
    public AverageEffectResult AverageTreatmentEffect(ICausalDataView data, CateColumns columns, AverageEffectOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(columns);
        var seed = Context.NextComponentSeed();
        var rows = CateColumnReader.Read(data, Component, columns);
        return new AverageEffectEstimator(options).Estimate(rows, new FitContext { Seed = seed, Log = Context.WriteLog });
    }
}
