using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Microsoft.ML.Causal.Data;

namespace Microsoft.ML.Causal.Persistence;

/// <summary>
/// Validates a whole model file before constructing anything, then builds the components from their
/// registered loaders. Every failure becomes a <see cref="ModelFileException"/>.
/// </summary>
internal sealed class ModelArchiveReader
{
    private readonly byte[] _file;
    private Component[] _components = [];
    private bool[] _loaded = [];

    public ModelArchiveReader(byte[] file) => _file = file;

    public ISavableModel Load(out DataSchema inputSchema)
    {
        try
        {
            var result = LoadCore(out inputSchema);
            return result;
        }
        catch (ModelFileException)
        {
            throw;
        }
        catch (Exception e) when (e is InvalidDataException or IOException or JsonException or EndOfStreamException
                                      or ArgumentException or InvalidOperationException or FormatException
                                      or KeyNotFoundException or OverflowException or DecoderFallbackException
                                      or IndexOutOfRangeException or InvalidCastException or NotSupportedException)
        {
            throw new ModelFileException($"The model file is damaged or is not a {ModelArchive.FormatName} file: {e.Message}", e);
        }
    }

    private ISavableModel LoadCore(out DataSchema inputSchema)
    {
        using var zip = new ZipArchive(new MemoryStream(_file, writable: false), ZipArchiveMode.Read);
        var entries = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var entry in zip.Entries)
        {
            if (entry.Length > int.MaxValue)
                throw new ModelFileException($"Entry '{entry.FullName}' is too large ({entry.Length} bytes).");
            if (!entries.TryAdd(entry.FullName, ReadEntry(entry)))
                throw new ModelFileException($"Entry '{entry.FullName}' appears twice.");
        }

        if (!entries.TryGetValue(ModelArchive.ManifestEntry, out var manifestBytes))
            throw new ModelFileException($"This is not a {ModelArchive.FormatName} file: it has no {ModelArchive.ManifestEntry}.");
        if (!entries.TryGetValue(ModelArchive.ManifestHashEntry, out var manifestHash)
            || Encoding.ASCII.GetString(manifestHash) != ModelArchive.Sha256(manifestBytes))
            throw new ModelFileException($"The manifest's checksum does not match ({ModelArchive.ManifestHashEntry}): the file was altered or damaged.");

        using var manifest = JsonDocument.Parse(manifestBytes);
        var root = manifest.RootElement;
        if (!root.TryGetProperty("format", out var format) || format.GetString() != ModelArchive.FormatName)
            throw new ModelFileException($"This is not a {ModelArchive.FormatName} file (its manifest names another format).");
        var formatVersion = root.GetProperty("formatVersion").GetInt32();
        if (formatVersion > ModelArchive.FormatVersion)
            throw new ModelFileException($"The model file has format version {formatVersion}, written by a newer library ({root.GetProperty("libraryVersion").GetString()}); this library ({ModelArchive.LibraryVersion}) reads up to version {ModelArchive.FormatVersion}. Upgrade Microsoft.ML.Causal to load it.");
        if (formatVersion < 1)
            throw new ModelFileException($"The model file has an invalid format version {formatVersion}.");

        var schemaInfo = root.GetProperty("schema");
        var schemaBytes = Verified(entries, schemaInfo.GetProperty("entry").GetString(), schemaInfo.GetProperty("sha256").GetString());
        using (var schemaDoc = JsonDocument.Parse(schemaBytes))
            inputSchema = SchemaJson.Read(schemaDoc.RootElement);

        var list = new List<Component>();
        foreach (var c in root.GetProperty("components").EnumerateArray())
        {
            var id = c.GetProperty("id").GetInt32();
            if (id != list.Count)
                throw new ModelFileException($"Component ids must run 0, 1, 2, …; found {id} at position {list.Count}.");
            var name = c.GetProperty("name").GetString() ?? "";
            var version = c.GetProperty("version").GetInt32();
            var assembly = c.TryGetProperty("assembly", out var a) ? a.GetString() : null;
            if (!ModelLoaderRegistry.TryGet(name, out var registration))
                throw new ModelFileException($"Component {id} is '{name}' (from assembly '{assembly}'), which has no registered loader. Reference the assembly that defines it, or register a loader with ModelLoaderRegistry.Register.");
            if (version > registration.MaxVersion || version < 1)
                throw new ModelFileException($"Component {id} ('{name}') has payload version {version}; this library reads versions 1 to {registration.MaxVersion}. Upgrade Microsoft.ML.Causal to load it.");
            var payload = Verified(entries, c.GetProperty("entry").GetString(), c.GetProperty("sha256").GetString());
            list.Add(new Component(name, version, payload, registration));
        }
        if (list.Count == 0)
            throw new ModelFileException("The model file lists no components.");
        var expected = list.Count + 3;
        if (entries.Count != expected)
            throw new ModelFileException($"The model file has {entries.Count} entries; its manifest accounts for {expected}. Unknown entries mean the file was altered.");
        if (root.GetProperty("root").GetInt32() != 0)
            throw new ModelFileException("The manifest's root component must be component 0.");

        _components = list.ToArray();
        _loaded = new bool[_components.Length];
        var model = LoadComponent(0, -1);
        var orphan = Array.IndexOf(_loaded, false);
        if (orphan >= 0)
            throw new ModelFileException($"Component {orphan} ('{_components[orphan].Name}') is listed but never used by the model.");
        return model;
    }

    /// <summary>Loads component <paramref name="id"/>, referenced from <paramref name="parent"/>.</summary>
    public ISavableModel LoadComponent(int id, int parent)
    {
        if (id <= parent || id >= _components.Length)
            throw new ModelFileException($"Component {parent} refers to component {id}, which is not a later component of this file.");
        if (_loaded[id])
            throw new ModelFileException($"Component {id} is referenced twice.");
        _loaded[id] = true;
        var c = _components[id];
        var reader = new ComponentPayloadReader(this, id, c.Payload, c.Version);
        ISavableModel model;
        try
        {
            model = c.Registration.Loader(reader);
        }
        catch (ModelFileException)
        {
            throw;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new ModelFileException($"Component {id} ('{c.Name}', version {c.Version}) could not be read: {e.Message}", e);
        }
        if (!reader.AtEnd)
            throw new ModelFileException($"Component {id} ('{c.Name}') has bytes left over after loading: the payload does not match its version.");
        if (model is null || model.ComponentName != c.Name)
            throw new ModelFileException($"The loader for '{c.Name}' returned a component named '{model?.ComponentName}'.");
        return model;
    }

    private static byte[] Verified(Dictionary<string, byte[]> entries, string? name, string? sha256)
    {
        if (name is null || !entries.TryGetValue(name, out var bytes))
            throw new ModelFileException($"The manifest names entry '{name}', which the file does not contain (truncated or altered).");
        if (ModelArchive.Sha256(bytes) != sha256)
            throw new ModelFileException($"Entry '{name}' does not match its SHA-256 in the manifest: the file was altered or damaged.");
        return bytes;
    }

    private static byte[] ReadEntry(ZipArchiveEntry entry)
    {
        using var s = entry.Open();
        using var buffer = new MemoryStream((int)Math.Min(entry.Length, 1 << 20));
        s.CopyTo(buffer);
        if (buffer.Length != entry.Length)
            throw new ModelFileException($"Entry '{entry.FullName}' is {buffer.Length} bytes; the zip directory says {entry.Length}.");
        return buffer.ToArray();
    }

    private sealed record Component(string Name, int Version, byte[] Payload, ModelLoaderRegistry.Registration Registration);
}
