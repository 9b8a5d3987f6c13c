using System.Collections.Immutable;
using System.Text.Json;
using Microsoft.ML.Causal.Data;

namespace Microsoft.ML.Causal.Persistence;

/// <summary>Reads and writes a <see cref="DataSchema"/> as JSON (the model file's <c>schema.json</c>).</summary>
internal static class SchemaJson
{
    public static void Write(Utf8JsonWriter json, DataSchema schema)
    {
        json.WriteStartObject();
        json.WriteStartArray("columns");
        foreach (var c in schema)
        {
            json.WriteStartObject();
            json.WriteString("name", c.Name);
            json.WriteString("kind", c.Type.Kind.ToString());
            if (c.Type.Kind == ColumnKind.Vector)
                json.WriteNumber("size", c.Type.Size);
            if (c.Type.Kind == ColumnKind.Key)
                WriteStrings(json, "keyValues", c.Type.KeyValues);
            if (!c.SlotNames.IsDefaultOrEmpty)
                WriteStrings(json, "slotNames", c.SlotNames);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    public static DataSchema Read(JsonElement root)
    {
        var defs = new List<ColumnDefinition>();
        foreach (var c in root.GetProperty("columns").EnumerateArray())
        {
            var name = c.GetProperty("name").GetString() ?? throw new ModelFileException("A schema column has no name.");
            var kindText = c.GetProperty("kind").GetString();
            if (!Enum.TryParse<ColumnKind>(kindText, ignoreCase: false, out var kind) || !Enum.IsDefined(kind))
                throw new ModelFileException($"Schema column '{name}' has unknown kind '{kindText}'.");
            var type = kind switch
            {
                ColumnKind.Vector => ColumnType.Vector(c.GetProperty("size").GetInt32()),
                ColumnKind.Key => ColumnType.Key(ReadStrings(c, "keyValues")),
                ColumnKind.Double => ColumnType.Double,
                ColumnKind.Single => ColumnType.Single,
                ColumnKind.Int32 => ColumnType.Int32,
                ColumnKind.Boolean => ColumnType.Boolean,
                _ => ColumnType.Text,
            };
            var slots = c.TryGetProperty("slotNames", out _) ? ReadStrings(c, "slotNames").ToImmutableArray() : ImmutableArray<string>.Empty;
            defs.Add(new ColumnDefinition(name, type, slots));
        }
        return new DataSchema(defs);
    }

    private static void WriteStrings(Utf8JsonWriter json, string name, ImmutableArray<string> values)
    {
        json.WriteStartArray(name);
        foreach (var v in values)
            json.WriteStringValue(v);
        json.WriteEndArray();
    }

    private static IEnumerable<string> ReadStrings(JsonElement element, string name) =>
        element.GetProperty(name).EnumerateArray().Select(v => v.GetString() ?? throw new ModelFileException($"A null string in '{name}'.")).ToList();
}
