namespace Microsoft.ML.Causal.Inference;

/// <summary>
/// The population an estimand averages over, as a weight h(x) relative to all rows, from the propensities of the
/// arm (eₐ) and of control (e_c): 1 for the ATE, eₐ for the ATT (the arm's rows), e_c for the ATC, and
/// eₐe_c/(eₐ + e_c) for the overlap-weighted effect (e(1 − e) for two arms, up to the factor eₐ + e_c = 1).
/// </summary>
internal static class TargetPopulation
{
    public static double Weight(Estimand estimand, double eArm, double eControl) => estimand switch
    {
        Estimand.Ate => 1,
        Estimand.Att => eArm,
        Estimand.Atc => eControl,
        Estimand.Overlap => eArm * eControl / (eArm + eControl),
        _ => throw new ArgumentOutOfRangeException(nameof(estimand), estimand, "Unknown estimand."),
    };
}
