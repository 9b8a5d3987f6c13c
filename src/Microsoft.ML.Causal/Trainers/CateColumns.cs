namespace Microsoft.ML.Causal.Trainers;

/// <summary>
/// The columns a pipeline CATE trainer or average-effect estimator reads, and how it reads the treatment.
/// </summary>
/// <param name="Outcome">The outcome Y: a numeric scalar (Double, Single, Int32 or Boolean).</param>
/// <param name="Treatment">
/// The treatment: a numeric scalar (arms are its distinct values in ascending order), Boolean (false = control),
/// Key (its values are the arms, in code order) or Text (arms are the distinct values in ordinal order).
/// </param>
/// <param name="Features">The covariates X: a Vector&lt;Double&gt; column (build it with <c>ctx.Transforms.Featurize</c>).</param>
public sealed record CateColumns(string Outcome = "Outcome", string Treatment = "Treatment", string Features = "Features")
{
    /// <summary>Binary (default), several arms, or a continuous dose; sets the shape of the outputs.</summary>
    public TreatmentKind TreatmentKind { get; init; } = TreatmentKind.Binary;

    /// <summary>
    /// The control arm as its value is written (e.g. "0", "false", "none"); default: "0" (or false) when present,
    /// else the first arm in order.
    /// </summary>
    public string? ControlArm { get; init; }

    /// <summary>An optional non-negative row weight column (numeric scalar).</summary>
    public string? Weight { get; init; }

    /// <summary>An optional cluster column (any scalar; equal values form one cluster) for cluster-robust standard errors.</summary>
    public string? Cluster { get; init; }

    /// <summary>An optional column of known P(treated | x) for a binary treatment, each strictly between 0 and 1.</summary>
    public string? Propensity { get; init; }
}
