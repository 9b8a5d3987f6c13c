using Microsoft.ML.Causal.Data;

namespace Microsoft.ML.Causal.Transforms;

/// <summary>Names of the slots a column contributes to a concatenated vector.</summary>
internal static class SlotNaming
{
    /// <summary><c>name</c> for a scalar; <c>name.slot</c> for a vector with slot names; <c>name[j]</c> otherwise.</summary>
    public static IEnumerable<string> Of(DataSchema.Column column)
    {
        if (column.Type.Kind != ColumnKind.Vector)
            return [column.Name];
        if (!column.SlotNames.IsDefaultOrEmpty)
            return column.SlotNames.Select(s => $"{column.Name}.{s}");
        return Enumerable.Range(0, column.Type.Size).Select(j => $"{column.Name}[{j}]");
    }
}
