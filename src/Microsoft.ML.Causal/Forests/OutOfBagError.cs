namespace Microsoft.ML.Causal.Forests;

/// <summary>
/// grf's <c>debiased.error</c> and <c>excess.error</c> of a causal forest's out-of-bag fit, averaged over the
/// training rows. <see cref="RawError"/> is the out-of-bag R-loss (Nie and Wager) of τ̂,
/// mean of ((Y − m̂) − τ̂(W − ê))². Part of it is Monte-Carlo noise: τ̂ from B trees differs from the τ̂ of infinitely
/// many trees by an error of variance Var_MC(τ̂), which adds (W − ê)²·Var_MC(τ̂) to the expected squared residual;
/// <see cref="ExcessError"/> is the mean of that, with Var_MC estimated from the spread of the out-of-bag tree
/// groups (see <see cref="CausalForestModel.OutOfBagMonteCarloVariance"/>). <see cref="DebiasedError"/> =
/// raw − excess estimates the R-loss of the infinite forest: compare forests (e.g. tuning choices) by it, and grow
/// enough trees that the excess is small beside it. The excess shrinks like 1/trees.
/// </summary>
/// <param name="RawError">The out-of-bag R-loss of the forest as grown.</param>
/// <param name="ExcessError">The part of <paramref name="RawError"/> due to the finite number of trees.</param>
public sealed record OutOfBagError(double RawError, double ExcessError)
{
    /// <summary>The R-loss of a forest of infinitely many trees: <see cref="RawError"/> − <see cref="ExcessError"/>.</summary>
    public double DebiasedError => RawError - ExcessError;
}
