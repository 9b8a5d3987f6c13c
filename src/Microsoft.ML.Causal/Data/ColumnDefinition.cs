using System.Collections.Immutable;

namespace Microsoft.ML.Causal.Data;

/// <summary>A column to be placed in a schema: name, type and, for vectors, optional slot names.</summary>
/// <param name="Name">The column name.</param>
/// <param name="Type">The column type.</param>
/// <param name="SlotNames">Names of a vector's slots; default or empty when unnamed.</param>
public sealed record ColumnDefinition(string Name, ColumnType Type, ImmutableArray<string> SlotNames = default)
{
    /// <summary>Creates a definition with slot names.</summary>
    public ColumnDefinition(string name, ColumnType type, IEnumerable<string> slotNames)
        : this(name, type, slotNames.ToImmutableArray())
    {
    }
}
