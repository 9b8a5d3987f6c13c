namespace Microsoft.ML.Causal.Segmentation.CoarsePersonalization;

/// <summary>
/// A policy scored on a profit matrix (the truth in simulation): its profit next to the best single level's and full
/// personalization's on the same matrix.
/// </summary>
/// <param name="Method">The policy's method.</param>
/// <param name="LevelCount">The number of levels the policy offers.</param>
/// <param name="Profit">Σᵢ πᵢ(level of i) on the scoring matrix.</param>
/// <param name="BestSingleProfit">The profit of the best single level on the scoring matrix.</param>
/// <param name="FullProfit">Full personalization's profit on the scoring matrix.</param>
/// <param name="Recovery">(Profit − BestSingleProfit) / (FullProfit − BestSingleProfit); when full personalization gains nothing over the best single level, 1 if Profit reaches it and 0 otherwise.</param>
/// <param name="Ratio">Profit / FullProfit when FullProfit &gt; 0; otherwise 1 if Profit reaches FullProfit and 0 otherwise.</param>
public sealed record CoarsePolicyScore(string Method, int LevelCount, double Profit, double BestSingleProfit, double FullProfit, double Recovery, double Ratio);
