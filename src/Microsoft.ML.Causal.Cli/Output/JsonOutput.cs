using System.Text;
using System.Text.Json;

namespace Microsoft.ML.Causal.Cli.Output;

/// <summary>Writes exactly one JSON object to a text writer (for <c>--format json</c>).</summary>
internal static class JsonOutput
{
    public static void Write(TextWriter writer, Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = false }))
            write(json);
        writer.WriteLine(Encoding.UTF8.GetString(buffer.ToArray()));
    }

    /// <summary>A number, or where it is not finite the strings <c>"NaN"</c>, <c>"Infinity"</c>, <c>"-Infinity"</c> (JSON has no such numbers).</summary>
    public static void Number(Utf8JsonWriter json, string name, double? value)
    {
        if (value is not { } v)
            return;
        if (double.IsFinite(v))
            json.WriteNumber(name, v);
        else
            json.WriteString(name, double.IsNaN(v) ? "NaN" : v > 0 ? "Infinity" : "-Infinity");
    }
}
