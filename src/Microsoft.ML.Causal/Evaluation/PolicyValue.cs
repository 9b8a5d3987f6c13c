using System.Collections.Immutable;
using System.Globalization;

namespace Microsoft.ML.Causal.Evaluation;

/// <summary>
/// The doubly robust evaluation of a treatment rule π (an arm for every row) on held-out rows: its gain over
/// giving everyone control (treating no one), its gain over giving everyone each other arm (for a binary
/// treatment, treating everyone), and the share of rows it gives each arm. Built by
/// <see cref="DoublyRobustScores.EvaluatePolicy(ReadOnlySpan{int})"/>.
/// </summary>
public sealed class PolicyValue
{
    internal PolicyValue(ImmutableArray<string> armNames, int control, ImmutableArray<double> shares, ImmutableArray<PolicyGain> versusArm, string nuisances)
    {
        ArmNames = armNames;
        Control = control;
        Shares = shares;
        VersusArm = versusArm;
        Nuisances = nuisances;
    }

    /// <summary>Every arm in arm order, control included.</summary>
    public ImmutableArray<string> ArmNames { get; }

    /// <summary>The control arm's index in <see cref="ArmNames"/>.</summary>
    public int Control { get; }

    /// <summary>The control arm.</summary>
    public string ControlArm => ArmNames[Control];

    /// <summary>The (weighted) share of rows the rule gives each arm, in arm order.</summary>
    public ImmutableArray<double> Shares { get; }

    /// <summary>For each arm in arm order, the rule's gain over giving everyone that arm (the control's entry is <see cref="VersusControl"/>).</summary>
    public ImmutableArray<PolicyGain> VersusArm { get; }

    /// <summary>How the nuisances behind the scores were obtained (e.g. cross-fitted on the evaluation rows).</summary>
    public string Nuisances { get; }

    /// <summary>Rows evaluated.</summary>
    public int Count => VersusControl.Count;

    /// <summary>The rule's gain over giving everyone control (treating no one): the mean of Γᵢ(π(xᵢ)).</summary>
    public PolicyGain VersusControl => VersusArm[Control];

    /// <summary>For a binary treatment, the rule's gain over treating everyone: the mean of Γᵢ(π(xᵢ)) − Γᵢ(treated).</summary>
    /// <exception cref="InvalidOperationException">The treatment has more than two arms; use <see cref="Versus"/>.</exception>
    public PolicyGain VersusTreatEveryone => ArmNames.Length == 2
        ? VersusArm[1 - Control]
        : throw new InvalidOperationException($"With {ArmNames.Length} arms 'everyone treated' is ambiguous; use Versus(arm) with one of {string.Join(", ", ArmNames)}.");

    /// <summary>The rule's gain over giving everyone <paramref name="arm"/>.</summary>
    /// <exception cref="ArgumentException">The arm is not one of <see cref="ArmNames"/>.</exception>
    public PolicyGain Versus(string arm)
    {
        var a = ArmNames.IndexOf(arm, StringComparer.Ordinal);
        if (a < 0)
            throw new ArgumentException($"'{arm}' is not an arm; the arms are {string.Join(", ", ArmNames)}.", nameof(arm));
        return VersusArm[a];
    }

    /// <inheritdoc />
    public override string ToString()
    {
        var shares = string.Join(", ", ArmNames.Select((a, i) => string.Create(CultureInfo.InvariantCulture, $"{a} {Shares[i]:P1}")));
        return $"policy on {Count} rows ({shares}); " + string.Join("; ", ArmNames.Select((_, a) => VersusArm[a].ToString()));
    }
}
