using System.Text;
using Microsoft.ML.Causal.Data;

namespace Microsoft.ML.Causal.Persistence;

/// <summary>Writes the payload of one component; nested components go to the archive as entries of their own.</summary>
internal sealed class ComponentPayloadWriter : IModelWriter
{
    private readonly ModelArchiveWriter _archive;
    private readonly MemoryStream _stream = new();
    private readonly BinaryWriter _writer;

    public ComponentPayloadWriter(ModelArchiveWriter archive)
    {
        _archive = archive;
        _writer = new BinaryWriter(_stream, new UTF8Encoding(false, true), leaveOpen: true);
    }

    public byte[] ToArray()
    {
        _writer.Flush();
        return _stream.ToArray();
    }

    public void WriteInt32(int value) => _writer.Write(value);

    public void WriteInt64(long value) => _writer.Write(value);

    public void WriteDouble(double value) => _writer.Write(value);

    public void WriteBoolean(bool value) => _writer.Write(value);

    public void WriteString(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        _writer.Write(value);
    }

    public void WriteDoubles(ReadOnlySpan<double> values)
    {
        _writer.Write(values.Length);
        foreach (var v in values)
            _writer.Write(v);
    }

    public void WriteInt32s(ReadOnlySpan<int> values)
    {
        _writer.Write(values.Length);
        foreach (var v in values)
            _writer.Write(v);
    }

    public void WriteStrings(IReadOnlyList<string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        _writer.Write(values.Count);
        foreach (var v in values)
            WriteString(v);
    }

    public void WriteColumnType(ColumnType type)
    {
        ArgumentNullException.ThrowIfNull(type);
        _writer.Write((int)type.Kind);
        _writer.Write(type.Size);
        WriteStrings(type.KeyValues);
    }

    public void WriteModel(ISavableModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        _writer.Write(_archive.AddComponent(model));
    }
}

/// <summary>Reads the payload of one component, checking every length against what is left.</summary>
internal sealed class ComponentPayloadReader : IModelReader
{
    private readonly ModelArchiveReader _archive;
    private readonly BinaryReader _reader;
    private readonly int _id;

    public ComponentPayloadReader(ModelArchiveReader archive, int id, byte[] payload, int version)
    {
        _archive = archive;
        _id = id;
        Version = version;
        _reader = new BinaryReader(new MemoryStream(payload, writable: false), new UTF8Encoding(false, true));
    }

    public int Version { get; }

    public bool AtEnd => _reader.BaseStream.Position == _reader.BaseStream.Length;

    private long Remaining => _reader.BaseStream.Length - _reader.BaseStream.Position;

    public int ReadInt32() => _reader.ReadInt32();

    public long ReadInt64() => _reader.ReadInt64();

    public double ReadDouble() => _reader.ReadDouble();

    public bool ReadBoolean() => _reader.ReadBoolean();

    public string ReadString() => _reader.ReadString();

    public double[] ReadDoubles()
    {
        var n = ReadLength(sizeof(double));
        var values = new double[n];
        for (var i = 0; i < n; i++)
            values[i] = _reader.ReadDouble();
        return values;
    }

    public int[] ReadInt32s()
    {
        var n = ReadLength(sizeof(int));
        var values = new int[n];
        for (var i = 0; i < n; i++)
            values[i] = _reader.ReadInt32();
        return values;
    }

    public string[] ReadStrings()
    {
        var n = ReadLength(1);
        var values = new string[n];
        for (var i = 0; i < n; i++)
            values[i] = _reader.ReadString();
        return values;
    }

    public ColumnType ReadColumnType()
    {
        var kind = (ColumnKind)ReadInt32();
        var size = ReadInt32();
        var keys = ReadStrings();
        return kind switch
        {
            ColumnKind.Double => ColumnType.Double,
            ColumnKind.Single => ColumnType.Single,
            ColumnKind.Int32 => ColumnType.Int32,
            ColumnKind.Boolean => ColumnType.Boolean,
            ColumnKind.Text => ColumnType.Text,
            ColumnKind.Key => ColumnType.Key(keys),
            ColumnKind.Vector => size >= 0 ? ColumnType.Vector(size) : throw new ModelFileException($"A vector type of size {size}."),
            _ => throw new ModelFileException($"Unknown column kind code {(int)kind}."),
        };
    }

    public T ReadModel<T>() where T : class, ISavableModel
    {
        var child = _reader.ReadInt32();
        var model = _archive.LoadComponent(child, _id);
        return model as T ?? throw new ModelFileException(
            $"Component {child} ('{model.ComponentName}') is a {model.GetType().Name}, but component {_id} expects a {typeof(T).Name} there.");
    }

    private int ReadLength(int minBytesPerItem)
    {
        var n = _reader.ReadInt32();
        if (n < 0 || (long)n * minBytesPerItem > Remaining)
            throw new ModelFileException($"Component {_id}: a length of {n} does not fit in the {Remaining} bytes left of its payload.");
        return n;
    }
}
