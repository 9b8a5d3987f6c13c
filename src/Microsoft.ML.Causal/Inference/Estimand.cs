namespace Microsoft.ML.Causal.Inference;

/// <summary>The population an average treatment effect averages over.</summary>
public enum Estimand
{
    /// <summary>Everyone: E[Y(a) − Y(control)].</summary>
    Ate,

    /// <summary>The treated (the rows in the arm): E[Y(a) − Y(control) | W = a].</summary>
    Att,

    /// <summary>The controls: E[Y(a) − Y(control) | W = control].</summary>
    Atc,

    /// <summary>Overlap-weighted: rows weighted by eₐ(x)·e_c(x)/(eₐ(x) + e_c(x)) (e(x)(1 − e(x)) for two arms), which emphasizes rows either arm could have received.</summary>
    Overlap,
}
