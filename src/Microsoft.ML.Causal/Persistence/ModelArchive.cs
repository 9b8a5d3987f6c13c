using System.IO.Compression;
using System.Reflection;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.ML.Causal.Data;

namespace Microsoft.ML.Causal.Persistence;

/// <summary>
/// The model file: a zip holding <c>manifest.json</c> (format and library version, seed, and the ordered
/// components with name, version, assembly, entry and SHA-256), <c>manifest.sha256</c> (the manifest's own
/// checksum), <c>schema.json</c> (the input schema) and one little-endian payload entry per component.
/// There are no timestamps, so saving the same model twice gives identical bytes. Entries are stored
/// uncompressed, so every byte of an entry's data is covered by its SHA-256 (a deflate stream has padding bits
/// that a checksum of the decompressed content cannot see).
/// </summary>
public static class ModelArchive
{
    /// <summary>The format identifier written into every manifest.</summary>
    public const string FormatName = "Microsoft.ML.Causal.Model";

    /// <summary>The newest manifest format this library reads and the one it writes.</summary>
    public const int FormatVersion = 1;

    internal const string ManifestEntry = "manifest.json";
    internal const string ManifestHashEntry = "manifest.sha256";
    internal const string SchemaEntry = "schema.json";
    private static readonly DateTimeOffset FixedTime = new(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The library version recorded in saved files.</summary>
    public static string LibraryVersion { get; } =
        typeof(ModelArchive).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

    /// <summary>Writes <paramref name="model"/> and its input schema to <paramref name="stream"/>.</summary>
    /// <param name="model">The root component (typically a transformer chain).</param>
    /// <param name="inputSchema">The schema of the data the model scores.</param>
    /// <param name="stream">A writable stream; it is left open.</param>
    /// <param name="seed">The seed the model was trained with, recorded in the manifest (null when none).</param>
    public static void Save(ISavableModel model, DataSchema inputSchema, Stream stream, int? seed)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(inputSchema);
        ArgumentNullException.ThrowIfNull(stream);
        var archive = new ModelArchiveWriter();
        archive.AddComponent(model);
        var bytes = archive.ToZip(inputSchema, seed);
        stream.Write(bytes);
    }

    /// <summary>Reads a model written by <see cref="Save"/>.</summary>
    /// <exception cref="ModelFileException">The file is truncated, tampered with, foreign, newer, or names an unregistered component.</exception>
    public static ISavableModel Load(Stream stream, out DataSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(stream);
        byte[] bytes;
        try
        {
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            bytes = buffer.ToArray();
        }
        catch (IOException e)
        {
            throw new ModelFileException($"The model could not be read: {e.Message}", e);
        }
        return new ModelArchiveReader(bytes).Load(out inputSchema);
    }

    internal static string Sha256(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    internal static void AddEntry(ZipArchive zip, string name, ReadOnlySpan<byte> content)
    {
        var entry = zip.CreateEntry(name, CompressionLevel.NoCompression);
        entry.LastWriteTime = FixedTime;
        using var s = entry.Open();
        s.Write(content);
    }

    internal static string EntryName(int id) => $"components/{id:D4}.bin";
}

/// <summary>Collects component payloads (nested ones get later ids) and writes the zip.</summary>
internal sealed class ModelArchiveWriter
{
    private readonly List<(ISavableModel Model, byte[] Payload)> _components = [];

    public int AddComponent(ISavableModel model)
    {
        if (!ModelLoaderRegistry.IsRegistered(model.ComponentName))
            throw new InvalidOperationException($"Component '{model.ComponentName}' ({model.GetType().Name}) has no registered loader, so a saved model could not be loaded. Register one with ModelLoaderRegistry.Register.");
        var id = _components.Count;
        _components.Add((model, Array.Empty<byte>()));
        var writer = new ComponentPayloadWriter(this);
        model.Save(writer);
        _components[id] = (model, writer.ToArray());
        return id;
    }

    public byte[] ToZip(DataSchema inputSchema, int? seed)
    {
        var schemaBytes = JsonBytes(json => SchemaJson.Write(json, inputSchema));
        var manifest = JsonBytes(json =>
        {
            json.WriteStartObject();
            json.WriteString("format", ModelArchive.FormatName);
            json.WriteNumber("formatVersion", ModelArchive.FormatVersion);
            json.WriteString("libraryVersion", ModelArchive.LibraryVersion);
            if (seed is { } s)
                json.WriteNumber("seed", s);
            else
                json.WriteNull("seed");
            json.WriteStartObject("schema");
            json.WriteString("entry", ModelArchive.SchemaEntry);
            json.WriteString("sha256", ModelArchive.Sha256(schemaBytes));
            json.WriteEndObject();
            json.WriteNumber("root", 0);
            json.WriteStartArray("components");
            for (var i = 0; i < _components.Count; i++)
            {
                var (model, payload) = _components[i];
                json.WriteStartObject();
                json.WriteNumber("id", i);
                json.WriteString("name", model.ComponentName);
                json.WriteNumber("version", model.ComponentVersion);
                json.WriteString("assembly", model.GetType().Assembly.GetName().Name);
                json.WriteString("entry", ModelArchive.EntryName(i));
                json.WriteString("sha256", ModelArchive.Sha256(payload));
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        });

        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            ModelArchive.AddEntry(zip, ModelArchive.ManifestEntry, manifest);
            ModelArchive.AddEntry(zip, ModelArchive.ManifestHashEntry, System.Text.Encoding.ASCII.GetBytes(ModelArchive.Sha256(manifest)));
            ModelArchive.AddEntry(zip, ModelArchive.SchemaEntry, schemaBytes);
            for (var i = 0; i < _components.Count; i++)
                ModelArchive.AddEntry(zip, ModelArchive.EntryName(i), _components[i].Payload);
        }
        return buffer.ToArray();
    }

    private static byte[] JsonBytes(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, NewLine = "\n" }))
            write(json);
        return buffer.ToArray();
    }
}
