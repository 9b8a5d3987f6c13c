namespace Microsoft.ML.Causal.Inference;

/// <summary>
/// The AIPW (doubly robust) score of arm a against control c for one row, from its outcome Y, its arm W, the
/// outcome models μ̂ₐ, μ̂_c and the propensities êₐ, ê_c at its x:
/// Γ = μ̂ₐ − μ̂_c + 1{W=a}(Y − μ̂ₐ)/êₐ − 1{W=c}(Y − μ̂_c)/ê_c. Its mean over rows estimates the effect of a; the
/// DR-learner regresses it on x; a policy's gain over control is the mean of Γ at the arm it assigns.
/// </summary>
internal static class AipwScore
{
    public static double Of(double y, int w, int arm, int control, double muArm, double muControl, double eArm, double eControl) =>
        muArm - muControl
        + (w == arm ? (y - muArm) / eArm : 0)
        - (w == control ? (y - muControl) / eControl : 0);
}
