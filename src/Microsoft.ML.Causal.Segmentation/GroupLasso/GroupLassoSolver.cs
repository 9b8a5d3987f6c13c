namespace Microsoft.ML.Causal.Segmentation.GroupLasso;

/// <summary>The optimization method of the group-lasso segmentation (<see cref="GroupLassoOptions.Solver"/>).</summary>
public enum GroupLassoSolver
{
    /// <summary>
    /// Majorization–minimization: per creative, the logistic loss is bounded by a quadratic with the fixed
    /// curvature ¼X̃ᵀWX̃ (its Gram built once, in one pass over the rows); each step minimizes the penalized
    /// quadratic on the (p+1)×(p+1) Grams without touching the rows, then makes one pass for the new gradient.
    /// Far fewer passes over the data than <see cref="Fista"/> when the row count is large.
    /// </summary>
    Majorization,

    /// <summary>Accelerated proximal gradient with backtracking and adaptive restart on the rows (about 2.3 passes over the rows per iteration).</summary>
    Fista,
}
