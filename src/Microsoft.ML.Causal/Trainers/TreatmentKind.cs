namespace Microsoft.ML.Causal.Trainers;

/// <summary>How a pipeline CATE trainer reads its treatment column and shapes its outputs.</summary>
public enum TreatmentKind
{
    /// <summary>Two arms, control and treated: <c>Cate</c>, <c>CateLower</c>, <c>CateUpper</c> are Double columns.</summary>
    Binary,

    /// <summary>
    /// Several discrete arms, each against the control arm: the outputs are vectors with one slot per non-control
    /// arm, in arm order, the arm names as slot names (two arms give vectors of one slot).
    /// </summary>
    MultiArm,

    /// <summary>A continuous dose (DML estimators only): the outputs are the marginal effect of one unit, as Double columns.</summary>
    Continuous,
}
