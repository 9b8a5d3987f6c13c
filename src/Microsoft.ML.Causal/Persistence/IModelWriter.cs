using Microsoft.ML.Causal.Data;

namespace Microsoft.ML.Causal.Persistence;

/// <summary>Writes one component's payload. All numbers are little-endian; arrays and strings carry their length.</summary>
public interface IModelWriter
{
    /// <summary>Writes a 32-bit integer.</summary>
    void WriteInt32(int value);

    /// <summary>Writes a 64-bit integer.</summary>
    void WriteInt64(long value);

    /// <summary>Writes a double (its exact bits).</summary>
    void WriteDouble(double value);

    /// <summary>Writes a Boolean.</summary>
    void WriteBoolean(bool value);

    /// <summary>Writes a UTF-8 string (null is not allowed).</summary>
    void WriteString(string value);

    /// <summary>Writes a length-prefixed array of doubles.</summary>
    void WriteDoubles(ReadOnlySpan<double> values);

    /// <summary>Writes a length-prefixed array of 32-bit integers.</summary>
    void WriteInt32s(ReadOnlySpan<int> values);

    /// <summary>Writes a length-prefixed list of strings.</summary>
    void WriteStrings(IReadOnlyList<string> values);

    /// <summary>Writes a column type.</summary>
    void WriteColumnType(ColumnType type);

    /// <summary>Writes a nested component into its own entry and records a reference to it here.</summary>
    void WriteModel(ISavableModel model);
}
