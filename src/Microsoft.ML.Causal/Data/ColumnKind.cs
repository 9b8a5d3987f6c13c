namespace Microsoft.ML.Causal.Data;

/// <summary>The kinds of value a column can hold.</summary>
/// <remarks>
/// Storage in a data view: <see cref="Double"/> as <see cref="double"/>, <see cref="Single"/> as
/// <see cref="float"/>, <see cref="Int32"/> as <see cref="int"/>, <see cref="Boolean"/> as <see cref="bool"/>,
/// <see cref="Text"/> as <see cref="string"/>, <see cref="Key"/> as an <see cref="int"/> code
/// (0 … count − 1, and −1 for a missing value), <see cref="Vector"/> as <see cref="double"/> values laid out
/// row after row (row <c>i</c> occupies <c>[i·size, (i+1)·size)</c>).
/// </remarks>
public enum ColumnKind
{
    /// <summary>A 64-bit floating-point number; NaN marks a missing value.</summary>
    Double,
    /// <summary>A 32-bit floating-point number; NaN marks a missing value.</summary>
    Single,
    /// <summary>A 32-bit integer; it has no missing value.</summary>
    Int32,
    /// <summary>True or false.</summary>
    Boolean,
    /// <summary>A string; the empty string marks a missing value.</summary>
    Text,
    /// <summary>A category out of a fixed, named set (a treatment arm, a region); code −1 marks a missing value.</summary>
    Key,
    /// <summary>A fixed-size vector of doubles.</summary>
    Vector,
}
