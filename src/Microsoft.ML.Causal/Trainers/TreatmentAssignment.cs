using System.Collections.Immutable;
using System.Globalization;

namespace Microsoft.ML.Causal.Trainers;

/// <summary>
/// The treatment of every row: one of several discrete arms (binary is two arms, control and treated), or a
/// continuous dose. Effects are always reported against the control arm: one effect per other arm, in arm order;
/// a continuous treatment has one effect, the marginal effect of one unit of dose.
/// </summary>
public sealed class TreatmentAssignment
{
    private readonly int[] _arms;
    private readonly double[] _doses;

    private TreatmentAssignment(string columnName, int[] arms, double[] doses, ImmutableArray<string> armNames, int control)
    {
        ColumnName = columnName;
        _arms = arms;
        _doses = doses;
        ArmNames = armNames;
        Control = control;
    }

    /// <summary>The treatment column's name (used in error messages).</summary>
    public string ColumnName { get; }

    /// <summary>Whether the treatment is a continuous dose rather than discrete arms.</summary>
    public bool IsContinuous => ArmNames.IsEmpty;

    /// <summary>Number of rows.</summary>
    public int RowCount => IsContinuous ? _doses.Length : _arms.Length;

    /// <summary>Every arm's name in arm order, control included (empty for a continuous treatment).</summary>
    public ImmutableArray<string> ArmNames { get; }

    /// <summary>The control arm's index in <see cref="ArmNames"/> (−1 for a continuous treatment).</summary>
    public int Control { get; }

    /// <summary>The arm of every row (empty for a continuous treatment).</summary>
    public ReadOnlySpan<int> Arms => _arms;

    /// <summary>The dose of every row (empty for discrete arms).</summary>
    public ReadOnlySpan<double> Doses => _doses;

    /// <summary>The non-control arms in arm order, one per estimated effect; for a continuous treatment, the column's name.</summary>
    public ImmutableArray<string> EffectNames => IsContinuous ? [ColumnName] : [.. ArmNames.Where((_, a) => a != Control)];

    /// <summary>Number of effects estimated: arms − 1, or 1 for a continuous treatment.</summary>
    public int EffectCount => IsContinuous ? 1 : ArmNames.Length - 1;

    /// <summary>The arm whose effect is the <paramref name="effect"/>-th (the arms in order, skipping control).</summary>
    public int ArmOfEffect(int effect) => effect < Control ? effect : effect + 1;

    /// <summary>
    /// Discrete arms from numeric values: the arms are the distinct values in ascending order, the control the one
    /// equal to <paramref name="control"/> (default: 0 if present, else the smallest value). A binary 0/1 column
    /// gives arms "0" and "1" with control "0".
    /// </summary>
    /// <exception cref="DataValidationException">A value is not finite, the control value does not occur, or only one arm occurs.</exception>
    public static TreatmentAssignment FromValues(ReadOnlySpan<double> values, double? control = null, string columnName = "Treatment")
    {
        var distinct = new SortedSet<double>();
        for (var i = 0; i < values.Length; i++)
        {
            if (!double.IsFinite(values[i]))
                throw DataValidationException.NotFinite(nameof(TreatmentAssignment), columnName, i, values[i], "Every row needs its treatment; remove the row or fill in its arm.");
            distinct.Add(values[i]);
        }
        var levels = distinct.ToArray();
        var controlValue = control ?? (distinct.Contains(0) ? 0 : levels.FirstOrDefault());
        var names = levels.Select(v => v.ToString("R", CultureInfo.InvariantCulture)).ToArray();
        var arms = new int[values.Length];
        for (var i = 0; i < values.Length; i++)
            arms[i] = Array.BinarySearch(levels, values[i]);
        var controlIndex = Array.IndexOf(levels, controlValue);
        if (controlIndex < 0 && levels.Length > 0)
        {
            throw new DataValidationException(nameof(TreatmentAssignment), columnName, null,
                $"the control value {controlValue.ToString("R", CultureInfo.InvariantCulture)} does not occur (values: {string.Join(", ", names.Take(10))}).",
                "Pass the control arm's value as it appears in the data.");
        }
        return Create(columnName, arms, [.. names], controlIndex);
    }

    /// <summary>Discrete arms given as codes 0 … names.Count − 1 with their names; <paramref name="control"/> is the control's code.</summary>
    /// <exception cref="DataValidationException">A code is outside the arms, or only one arm occurs.</exception>
    public static TreatmentAssignment Discrete(ReadOnlySpan<int> arms, IEnumerable<string> armNames, int control = 0, string columnName = "Treatment")
    {
        ArgumentNullException.ThrowIfNull(armNames);
        var names = armNames.ToImmutableArray();
        if ((uint)control >= (uint)names.Length)
            throw new ArgumentOutOfRangeException(nameof(control), control, $"The control arm must be one of the {names.Length} arms.");
        for (var i = 0; i < arms.Length; i++)
        {
            if ((uint)arms[i] >= (uint)names.Length)
            {
                throw new DataValidationException(nameof(TreatmentAssignment), columnName, i,
                    $"the arm code is {arms[i]}; codes must be 0 … {names.Length - 1} (arms: {string.Join(", ", names)}).", "Fix the row's treatment or leave the row out.");
            }
        }
        return Create(columnName, arms.ToArray(), names, control);
    }

    /// <summary>A continuous treatment (a dose); the DML estimators report the marginal effect of one unit.</summary>
    /// <exception cref="DataValidationException">A dose is not finite, or every dose is the same.</exception>
    public static TreatmentAssignment Continuous(ReadOnlySpan<double> doses, string columnName = "Treatment")
    {
        for (var i = 0; i < doses.Length; i++)
        {
            if (!double.IsFinite(doses[i]))
                throw DataValidationException.NotFinite(nameof(TreatmentAssignment), columnName, i, doses[i], "Every row needs a finite dose; remove the row or fill it in.");
        }
        if (doses.Length > 0 && doses.IndexOfAnyExcept(doses[0]) < 0)
        {
            throw new DataValidationException(nameof(TreatmentAssignment), columnName, null,
                $"every dose is {doses[0].ToString("R", CultureInfo.InvariantCulture)}, so its effect cannot be estimated.", "Fit on data where the dose varies.");
        }
        return new TreatmentAssignment(columnName, [], doses.ToArray(), [], -1);
    }

    /// <summary>Rows per arm.</summary>
    public int[] CountPerArm()
    {
        var counts = new int[ArmNames.Length];
        foreach (var a in _arms)
            counts[a]++;
        return counts;
    }

    /// <summary>The same assignment restricted to <paramref name="rows"/> (in that order).</summary>
    internal TreatmentAssignment Select(ReadOnlySpan<int> rows)
    {
        if (IsContinuous)
        {
            var d = new double[rows.Length];
            for (var i = 0; i < rows.Length; i++)
                d[i] = _doses[rows[i]];
            return new TreatmentAssignment(ColumnName, [], d, [], -1);
        }
        var a = new int[rows.Length];
        for (var i = 0; i < rows.Length; i++)
            a[i] = _arms[rows[i]];
        return new TreatmentAssignment(ColumnName, a, [], ArmNames, Control);
    }

    private static TreatmentAssignment Create(string columnName, int[] arms, ImmutableArray<string> names, int control)
    {
        var result = new TreatmentAssignment(columnName, arms, [], names, control);
        if (arms.Length > 0 && result.CountPerArm().Count(c => c > 0) < 2)
        {
            throw new DataValidationException(nameof(TreatmentAssignment), columnName, null,
                $"only one arm occurs ({names[arms[0]]}), so no effect can be estimated.", "Fit on data with treated and control rows.");
        }
        return result;
    }
}
