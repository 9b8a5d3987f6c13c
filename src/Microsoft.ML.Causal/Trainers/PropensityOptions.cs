namespace Microsoft.ML.Causal.Trainers;

/// <summary>
/// How the propensity P(arm | x) is obtained and bounded. Learned by default (cross-fitted, out of fold);
/// known when the design fixes it: a per-row column (<see cref="CateData.Propensity"/>), a constant share of
/// treated rows (<see cref="Constant"/>, e.g. 0.5 in a balanced experiment) or one share per arm
/// (<see cref="ArmShares"/>). Estimated propensities are clipped to [<see cref="ClipLower"/>,
/// <see cref="ClipUpper"/>] before anything divides by them; the share of rows clipped is reported on the model
/// and in the context log.
/// </summary>
public sealed record PropensityOptions
{
    /// <summary>Known P(treated) of every row for a binary treatment; null when not known.</summary>
    public double? Constant { get; init; }

    /// <summary>Known probability of each arm (in arm order, summing to 1) for every row; null when not known.</summary>
    public IReadOnlyList<double>? ArmShares { get; init; }

    /// <summary>Lower clipping bound of estimated propensities (default 0.01; EconML uses 1e-6, grf warns below 0.05).</summary>
    public double ClipLower { get; init; } = 0.01;

    /// <summary>Upper clipping bound of estimated propensities (default 0.99).</summary>
    public double ClipUpper { get; init; } = 0.99;

    internal void Validate(TreatmentAssignment treatment, string component)
    {
        if (!(ClipLower > 0 && ClipLower < ClipUpper && ClipUpper < 1))
            throw new ArgumentOutOfRangeException(nameof(ClipLower), $"{component}: propensity clipping needs 0 < ClipLower < ClipUpper < 1 (got {ClipLower}, {ClipUpper}).");
        if (Constant is { } c)
        {
            if (!(c > 0 && c < 1))
                throw new ArgumentOutOfRangeException(nameof(Constant), c, $"{component}: a known propensity must lie strictly between 0 and 1.");
            if (treatment.IsContinuous || treatment.ArmNames.Length != 2)
                throw new ArgumentException($"{component}: a constant propensity needs a binary treatment; for several arms give ArmShares.", nameof(Constant));
        }
        if (ArmShares is { } shares)
        {
            if (treatment.IsContinuous || shares.Count != treatment.ArmNames.Length)
                throw new ArgumentException($"{component}: ArmShares needs one share per arm ({treatment.ArmNames.Length}).", nameof(ArmShares));
            if (shares.Any(s => !(s > 0 && s < 1)) || Math.Abs(shares.Sum() - 1) > 1e-9)
                throw new ArgumentException($"{component}: arm shares must each lie strictly between 0 and 1 and sum to 1.", nameof(ArmShares));
        }
    }
}
