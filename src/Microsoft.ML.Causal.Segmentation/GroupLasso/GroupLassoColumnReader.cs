using Microsoft.ML.Causal.Data;
using Microsoft.ML.Causal.Learners;

namespace Microsoft.ML.Causal.Segmentation.GroupLasso;

/// <summary>
/// Reads the columns of <see cref="GroupLassoTrainerOptions"/> from a data view into <see cref="MultiCreativeData"/>:
/// schema errors before any training, value errors naming the column and row.
/// </summary>
internal static class GroupLassoColumnReader
{
    private const string Category = "Text, Key or a numeric scalar";

    /// <summary>Checks every column's presence and type.</summary>
    public static void CheckSchema(DataSchema schema, string component, GroupLassoTrainerOptions options)
    {
        LearnerColumns.Require(schema, component, options.ResponseColumnName, t => t.IsNumericScalar, "a 0/1 response: a numeric scalar or Boolean");
        LearnerColumns.Require(schema, component, options.SegmentColumnName, IsCategory, Category + " segment");
        LearnerColumns.Require(schema, component, options.CreativeColumnName, IsCategory, Category + " creative");
        LearnerColumns.Require(schema, component, options.FeatureColumnName, LearnerColumns.IsFeatures,
            "Vector<Double> (build it with ctx.Transforms.Featurize or Concatenate)");
        if (options.WeightColumnName is { } weight)
            LearnerColumns.Require(schema, component, weight, t => t.IsNumericScalar, "a numeric scalar weight");
    }

    /// <summary>The experiment the trainer fits on.</summary>
    public static MultiCreativeData Read(ICausalDataView data, string component, GroupLassoTrainerOptions options)
    {
        ArgumentNullException.ThrowIfNull(data);
        CheckSchema(data.Schema, component, options);
        if (data.RowCount == 0)
            throw DataValidationException.Empty(component, options.ResponseColumnName);
        var featureColumn = data.Schema[options.FeatureColumnName];
        var p = featureColumn.Type.Size;
        var features = data.GetColumn<double>(featureColumn.Index);
        IReadOnlyList<string>? slotNames = featureColumn.SlotNames.IsDefaultOrEmpty ? null : featureColumn.SlotNames;
        CheckFinite(features.Span, p, slotNames, component, options.FeatureColumnName);
        var (creatives, creativeNames) = Categories(data, component, options.CreativeColumnName, "creative");
        var (segments, segmentNames) = Categories(data, component, options.SegmentColumnName, "segment");
        var creativeSegments = new int[creativeNames.Length];
        var firstRow = new int[creativeNames.Length];
        Array.Fill(creativeSegments, -1);
        for (var i = 0; i < creatives.Length; i++)
        {
            var c = creatives[i];
            if (creativeSegments[c] < 0)
            {
                creativeSegments[c] = segments[i];
                firstRow[c] = i;
            }
            else if (creativeSegments[c] != segments[i])
            {
                throw new DataValidationException(component, options.CreativeColumnName, i,
                    $"creative '{creativeNames[c]}' is in segment '{segmentNames[segments[i]]}' here but in segment '{segmentNames[creativeSegments[c]]}' at row {firstRow[c]} (column '{options.SegmentColumnName}').",
                    "Each creative must be designed for exactly one segment: fix the segment of the row, or give the creative a distinct name per segment.");
            }
        }
        var names = new MultiCreativeNames
        {
            Response = options.ResponseColumnName,
            Creative = options.CreativeColumnName,
            Segment = options.SegmentColumnName,
            Weight = options.WeightColumnName ?? "Weight",
            Features = slotNames is { } slots && slots.Count == p ? [.. slots] : null,
            Segments = segmentNames,
            Creatives = creativeNames,
        };
        var weights = options.WeightColumnName is { } w ? data.GetNumericColumn(w) : ReadOnlyMemory<double>.Empty;
        return new MultiCreativeData(features, p, data.GetNumericColumn(options.ResponseColumnName), creatives,
            creativeSegments, weights, names);
    }

    private static void CheckFinite(ReadOnlySpan<double> x, int p, IReadOnlyList<string>? slots, string component, string name)
    {
        for (var k = 0; k < x.Length; k++)
        {
            if (!double.IsFinite(x[k]))
            {
                var slot = slots?[k % p] ?? $"slot {k % p}";
                throw DataValidationException.NotFinite(component, name, k / p, x[k],
                    $"Feature '{slot}' must be finite for the group-lasso model: replace missing values first (ctx.Transforms.ReplaceMissingValues).");
            }
        }
    }

    private static bool IsCategory(ColumnType t) => t.IsNumericScalar || t.Kind is ColumnKind.Key or ColumnKind.Text;

    /// <summary>Codes 0 … k−1 per row and the k names, in the order of the key values, or sorted (ordinal / numeric) for Text and numbers; only values present are kept.</summary>
    private static (int[] Codes, string[] Names) Categories(ICausalDataView data, string component, string name, string what)
    {
        var column = data.Schema[name];
        switch (column.Type.Kind)
        {
            case ColumnKind.Key:
            {
                var keys = data.GetColumn<int>(column.Index).Span;
                var present = new bool[column.Type.KeyValues.Length];
                for (var i = 0; i < keys.Length; i++)
                {
                    if (keys[i] == ColumnStorage.MissingKey)
                        throw Missing(component, name, i, what);
                    present[keys[i]] = true;
                }
                var map = new int[present.Length];
                var names = new List<string>();
                for (var v = 0; v < present.Length; v++)
                {
                    map[v] = present[v] ? names.Count : -1;
                    if (present[v])
                        names.Add(column.Type.KeyValues[v]);
                }
                var codes = new int[keys.Length];
                for (var i = 0; i < keys.Length; i++)
                    codes[i] = map[keys[i]];
                return (codes, [.. names]);
            }
            case ColumnKind.Text:
                return CategoryCodes.FromText(data.GetColumn<string>(column.Index).Span, i => Missing(component, name, i, what));
            default:
            {
                var (numbers, levels) = CategoryCodes.FromNumbers(data.GetNumericColumn(name).Span, i => Missing(component, name, i, what));
                return (numbers, [.. levels.Select(CategoryCodes.Name)]);
            }
        }
    }

    private static DataValidationException Missing(string component, string name, int row, string what) =>
        new(component, name, row, $"the {what} is missing.", $"Every row needs its {what}; fill it in or remove the row.");
}
