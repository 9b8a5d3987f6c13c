using System.Collections.Immutable;
using System.Globalization;
using Microsoft.ML.Causal.Data;
using Microsoft.ML.Causal.Learners;

namespace Microsoft.ML.Causal.Trainers;

/// <summary>
/// Reads <see cref="CateColumns"/> from a data view into <see cref="CateData"/>, with the library's schema errors
/// (checked before any training) and value errors naming the column and row.
/// </summary>
internal static class CateColumnReader
{
    private const string NumericScalar = "a numeric scalar (Double, Single, Int32 or Boolean)";

    /// <summary>
    /// Checks every column's presence and type. Returns the effect names when the schema alone fixes them (a Key or
    /// Boolean treatment with several arms), or an empty array when they are learned at fit time.
    /// </summary>
    public static ImmutableArray<string> CheckSchema(DataSchema schema, string component, CateColumns columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        LearnerColumns.Require(schema, component, columns.Outcome, LearnerColumns.IsLabel, NumericScalar);
        LearnerColumns.Require(schema, component, columns.Features, LearnerColumns.IsFeatures, "Vector<Double> (build it with ctx.Transforms.Featurize or Concatenate)");
        var treatment = columns.TreatmentKind == TreatmentKind.Continuous
            ? LearnerColumns.Require(schema, component, columns.Treatment, t => t.IsNumericScalar, NumericScalar + " dose")
            : LearnerColumns.Require(schema, component, columns.Treatment, t => t.IsNumericScalar || t.Kind is ColumnKind.Key or ColumnKind.Text,
                "a treatment: numeric, Boolean, Key or Text");
        if (columns.Weight is not null)
            LearnerColumns.Require(schema, component, columns.Weight, t => t.IsNumericScalar, "a numeric scalar weight");
        if (columns.Cluster is not null)
            LearnerColumns.Require(schema, component, columns.Cluster, t => t.Kind != ColumnKind.Vector, "a scalar cluster id (any type but a vector)");
        if (columns.Propensity is not null)
        {
            LearnerColumns.Require(schema, component, columns.Propensity, t => t.IsNumericScalar, "a numeric scalar propensity");
            if (columns.TreatmentKind != TreatmentKind.Binary)
                throw new ArgumentException($"{component}: a propensity column needs a binary treatment (TreatmentKind.Binary).", nameof(columns));
        }
        var type = treatment.Type;
        if (type.Kind == ColumnKind.Key && type.IsKnown)
        {
            if (columns.TreatmentKind == TreatmentKind.Binary && type.KeyValues.Length != 2)
                throw TooManyArms(component, columns.Treatment, type.KeyValues);
            if (columns.TreatmentKind == TreatmentKind.MultiArm)
            {
                var control = ControlIndex(type.KeyValues, columns, component);
                return [.. type.KeyValues.Where((_, a) => a != control)];
            }
        }
        if (type.Kind == ColumnKind.Boolean && columns.TreatmentKind == TreatmentKind.MultiArm)
        {
            var names = ImmutableArray.Create("false", "true");
            var control = ControlIndex(names, columns, component);
            return [names[1 - control]];
        }
        return [];
    }

    /// <summary>The data of a fit: every column read and checked.</summary>
    public static CateData Read(ICausalDataView data, string component, CateColumns columns)
    {
        ArgumentNullException.ThrowIfNull(data);
        CheckSchema(data.Schema, component, columns);
        if (data.RowCount == 0)
            throw DataValidationException.Empty(component, columns.Outcome);
        var treatment = ReadTreatment(data, component, columns);
        return new CateData(FeatureMatrix.FromColumn(data, columns.Features, component), data.GetNumericColumn(columns.Outcome), treatment)
        {
            Weights = columns.Weight is null ? ReadOnlyMemory<double>.Empty : data.GetNumericColumn(columns.Weight),
            Clusters = columns.Cluster is null ? ReadOnlyMemory<int>.Empty : ReadClusters(data, component, columns.Cluster),
            Propensity = columns.Propensity is null ? ReadOnlyMemory<double>.Empty : data.GetNumericColumn(columns.Propensity),
            OutcomeColumnName = columns.Outcome,
            WeightColumnName = columns.Weight ?? "Weight",
            PropensityColumnName = columns.Propensity ?? "Propensity",
        };
    }

    /// <summary>The treatment column read as <paramref name="columns"/> say (a binary kind with other than two arms is an error).</summary>
    internal static TreatmentAssignment ReadTreatment(ICausalDataView data, string component, CateColumns columns)
    {
        var name = columns.Treatment;
        var column = data.Schema[name];
        if (columns.TreatmentKind == TreatmentKind.Continuous)
            return TreatmentAssignment.Continuous(data.GetNumericColumn(name).Span, name);
        TreatmentAssignment result;
        switch (column.Type.Kind)
        {
            case ColumnKind.Key:
            {
                var codes = data.GetColumn<int>(column.Index).Span;
                var values = column.Type.KeyValues;
                CheckNoMissingKey(codes, component, name);
                result = TreatmentAssignment.Discrete(codes, values, ControlIndex(values, columns, component), name);
                break;
            }
            case ColumnKind.Text:
            {
                var (codes, names) = CategoryCodes.FromText(data.GetColumn<string>(column.Index).Span, i => MissingArm(component, name, i));
                ImmutableArray<string> values = [.. names];
                result = TreatmentAssignment.Discrete(codes, values, ControlIndex(values, columns, component), name);
                break;
            }
            case ColumnKind.Boolean:
            {
                var flags = data.GetColumn<bool>(column.Index).Span;
                var codes = new int[flags.Length];
                for (var i = 0; i < flags.Length; i++)
                    codes[i] = flags[i] ? 1 : 0;
                var values = ImmutableArray.Create("false", "true");
                result = TreatmentAssignment.Discrete(codes, values, ControlIndex(values, columns, component), name);
                break;
            }
            default:
            {
                double? control = null;
                if (columns.ControlArm is { } text)
                {
                    if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
                    {
                        throw new DataValidationException(component, name, null, $"the control arm '{text}' is not a number, but the treatment column is numeric.",
                            "Give the control arm's value as it appears in the column (e.g. 0).");
                    }
                    control = value;
                }
                result = TreatmentAssignment.FromValues(data.GetNumericColumn(name).Span, control, name);
                break;
            }
        }
        if (columns.TreatmentKind == TreatmentKind.Binary && result.ArmNames.Length != 2)
            throw TooManyArms(component, name, result.ArmNames);
        return result;
    }

    private static void CheckNoMissingKey(ReadOnlySpan<int> codes, string component, string name)
    {
        for (var i = 0; i < codes.Length; i++)
        {
            if (codes[i] == ColumnStorage.MissingKey)
                throw MissingArm(component, name, i);
        }
    }

    private static DataValidationException MissingArm(string component, string name, int row) =>
        new(component, name, row, "the treatment is missing.", "Every row needs its arm; remove the row or fill it in.");

    /// <summary>The control arm's index among <paramref name="arms"/>: the one named, else "0" or "false", else the first.</summary>
    private static int ControlIndex(ImmutableArray<string> arms, CateColumns columns, string component)
    {
        if (columns.ControlArm is { } named)
        {
            var index = arms.IndexOf(named, StringComparer.Ordinal);
            if (index < 0)
            {
                throw new DataValidationException(component, columns.Treatment, null,
                    $"the control arm '{named}' is not one of the arms ({string.Join(", ", arms.Take(10))}).", "Give the control arm's value as it appears in the column.");
            }
            return index;
        }
        var zero = arms.IndexOf("0", StringComparer.Ordinal);
        if (zero >= 0)
            return zero;
        var no = arms.IndexOf("false", StringComparer.Ordinal);
        return no >= 0 ? no : 0;
    }

    private static int[] ReadClusters(ICausalDataView data, string component, string name)
    {
        var column = data.Schema[name];
        var ids = new int[data.RowCount];
        switch (column.Type.Kind)
        {
            case ColumnKind.Key:
                var codes = data.GetColumn<int>(column.Index).Span;
                for (var i = 0; i < codes.Length; i++)
                {
                    if (codes[i] == ColumnStorage.MissingKey)
                        throw MissingCluster(component, name, i);
                    ids[i] = codes[i];
                }
                return ids;
            case ColumnKind.Text:
                var texts = data.GetColumn<string>(column.Index).Span;
                var textIds = new Dictionary<string, int>(StringComparer.Ordinal);
                for (var i = 0; i < texts.Length; i++)
                {
                    if (string.IsNullOrEmpty(texts[i]))
                        throw MissingCluster(component, name, i);
                    if (!textIds.TryGetValue(texts[i], out ids[i]))
                        textIds[texts[i]] = ids[i] = textIds.Count;
                }
                return ids;
            default:
                var values = data.GetNumericColumn(name).Span;
                var numberIds = new Dictionary<double, int>();
                for (var i = 0; i < values.Length; i++)
                {
                    if (!double.IsFinite(values[i]))
                        throw MissingCluster(component, name, i);
                    if (!numberIds.TryGetValue(values[i], out ids[i]))
                        numberIds[values[i]] = ids[i] = numberIds.Count;
                }
                return ids;
        }
    }

    private static DataValidationException MissingCluster(string component, string name, int row) =>
        new(component, name, row, "the cluster id is missing.", "Every row needs its cluster; fill it in or give the row a cluster of its own.");

    private static DataValidationException TooManyArms(string component, string name, ImmutableArray<string> arms) =>
        new(component, name, null, $"the treatment has {arms.Length} arms ({string.Join(", ", arms.Take(10))}), but the trainer expects a binary treatment.",
            "Set TreatmentKind.MultiArm for one CATE per non-control arm (or TreatmentKind.Continuous for a dose with the DML estimators).");
}
