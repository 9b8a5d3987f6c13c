using Microsoft.ML.Causal.Data;

namespace Microsoft.ML.Causal.Learners;

/// <summary>Reads a learner's label, feature and weight columns from a data view, with the library's schema errors.</summary>
internal static class LearnerColumns
{
    public static bool IsLabel(ColumnType t) => t.IsNumericScalar;

    public static bool IsFeatures(ColumnType t) => t.Kind == ColumnKind.Vector;

    /// <summary>Checks the columns a trainer reads (before any training).</summary>
    public static void CheckSchema(DataSchema schema, string component, string label, string features, string? weight)
    {
        Require(schema, component, label, IsLabel, "a numeric scalar label (Double, Single, Int32 or Boolean)");
        Require(schema, component, features, IsFeatures, "Vector<Double> (build it with ctx.Transforms.Featurize or Concatenate)");
        if (weight is not null)
            Require(schema, component, weight, t => t.IsNumericScalar, "a numeric scalar weight");
    }

    /// <summary>The training set a trainer fits on.</summary>
    public static TrainingSet Read(ICausalDataView data, string component, string label, string features, string? weight)
    {
        CheckSchema(data.Schema, component, label, features, weight);
        if (data.RowCount == 0)
            throw DataValidationException.Empty(component, label);
        return new TrainingSet(FeatureMatrix.FromColumn(data, features, component), data.GetNumericColumn(label))
        {
            Weights = weight is null ? ReadOnlyMemory<double>.Empty : data.GetNumericColumn(weight),
            LabelColumnName = label,
            WeightColumnName = weight ?? "Weight",
        };
    }

    public static DataSchema.Column Require(DataSchema schema, string component, string name, Func<ColumnType, bool> accepts, string expected)
    {
        if (!schema.TryGetColumn(name, out var column))
            throw SchemaMismatchException.Missing(component, name, expected, schema);
        if (!accepts(column.Type))
            throw new SchemaMismatchException(component, name, expected, column.Type.ToString());
        return column;
    }
}
