using Microsoft.ML.Causal.Data;

namespace Microsoft.ML.Causal.Persistence;

/// <summary>
/// Reads one component's payload, in the order <see cref="IModelWriter"/> wrote it. Any read past the end, or a
/// length that the payload cannot hold, raises <see cref="ModelFileException"/>.
/// </summary>
public interface IModelReader
{
    /// <summary>The payload version of the component being read.</summary>
    int Version { get; }

    /// <summary>Reads a 32-bit integer.</summary>
    int ReadInt32();

    /// <summary>Reads a 64-bit integer.</summary>
    long ReadInt64();

    /// <summary>Reads a double.</summary>
    double ReadDouble();

    /// <summary>Reads a Boolean.</summary>
    bool ReadBoolean();

    /// <summary>Reads a string.</summary>
    string ReadString();

    /// <summary>Reads a length-prefixed array of doubles.</summary>
    double[] ReadDoubles();

    /// <summary>Reads a length-prefixed array of 32-bit integers.</summary>
    int[] ReadInt32s();

    /// <summary>Reads a length-prefixed list of strings.</summary>
    string[] ReadStrings();

    /// <summary>Reads a column type.</summary>
    ColumnType ReadColumnType();

    /// <summary>Reads a nested component written by <see cref="IModelWriter.WriteModel"/>.</summary>
    /// <exception cref="ModelFileException">The reference is invalid or the component is not a <typeparamref name="T"/>.</exception>
    T ReadModel<T>() where T : class, ISavableModel;
}
