using System.Collections.Immutable;

namespace Microsoft.ML.Causal.Data;

/// <summary>
/// The type of a column: one of the primitive kinds, a key over named values, or a vector of doubles.
/// Instances are immutable and compare by value.
/// </summary>
public sealed class ColumnType : IEquatable<ColumnType>
{
    private ColumnType(ColumnKind kind, int size, ImmutableArray<string> keyValues)
    {
        Kind = kind;
        Size = size;
        KeyValues = keyValues;
    }

    /// <summary>A 64-bit floating-point column.</summary>
    public static ColumnType Double { get; } = new(ColumnKind.Double, 1, ImmutableArray<string>.Empty);

    /// <summary>A 32-bit floating-point column.</summary>
    public static ColumnType Single { get; } = new(ColumnKind.Single, 1, ImmutableArray<string>.Empty);

    /// <summary>A 32-bit integer column.</summary>
    public static ColumnType Int32 { get; } = new(ColumnKind.Int32, 1, ImmutableArray<string>.Empty);

    /// <summary>A Boolean column.</summary>
    public static ColumnType Boolean { get; } = new(ColumnKind.Boolean, 1, ImmutableArray<string>.Empty);

    /// <summary>A text column.</summary>
    public static ColumnType Text { get; } = new(ColumnKind.Text, 1, ImmutableArray<string>.Empty);

    /// <summary>
    /// A key column over the given value names (code <c>i</c> stands for <c>valueNames[i]</c>). An empty list
    /// means "a key whose values are learned when the estimator is fitted"; it appears only in the output
    /// schema an estimator promises before training.
    /// </summary>
    /// <param name="valueNames">Distinct value names, in code order.</param>
    /// <exception cref="ArgumentException">A value name repeats or is null.</exception>
    public static ColumnType Key(IEnumerable<string> valueNames)
    {
        ArgumentNullException.ThrowIfNull(valueNames);
        var values = valueNames.ToImmutableArray();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var v in values)
        {
            if (v is null)
                throw new ArgumentException("A key value name is null.", nameof(valueNames));
            if (!seen.Add(v))
                throw new ArgumentException($"The key value name '{v}' appears twice; key values must be distinct.", nameof(valueNames));
        }
        return new ColumnType(ColumnKind.Key, 1, values);
    }

    /// <summary>
    /// A vector of doubles of the given size. Size 0 means "a size known only after fitting"; it appears only
    /// in the output schema an estimator promises before training, never in a data view.
    /// </summary>
    /// <param name="size">Number of slots, or 0 when not yet known.</param>
    public static ColumnType Vector(int size)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        return new ColumnType(ColumnKind.Vector, size, ImmutableArray<string>.Empty);
    }

    /// <summary>The kind of value.</summary>
    public ColumnKind Kind { get; }

    /// <summary>Number of slots: the vector size for <see cref="ColumnKind.Vector"/> (0 = not yet known), else 1.</summary>
    public int Size { get; }

    /// <summary>The value names of a key column, in code order; empty for other kinds.</summary>
    public ImmutableArray<string> KeyValues { get; }

    /// <summary>True for the kinds that hold one number per row: Double, Single, Int32, Boolean.</summary>
    public bool IsNumericScalar => Kind is ColumnKind.Double or ColumnKind.Single or ColumnKind.Int32 or ColumnKind.Boolean;

    /// <summary>True when the type is fully known (not a vector of size 0 nor a key with no values).</summary>
    public bool IsKnown => Kind switch
    {
        ColumnKind.Vector => Size > 0,
        ColumnKind.Key => KeyValues.Length > 0,
        _ => true,
    };

    /// <summary>
    /// True when a column of type <paramref name="actual"/> satisfies this (possibly not fully known) type:
    /// equal types, or the same kind where this type leaves the vector size or key values open.
    /// </summary>
    public bool IsSatisfiedBy(ColumnType actual)
    {
        ArgumentNullException.ThrowIfNull(actual);
        if (Equals(actual))
            return true;
        return Kind == actual.Kind && !IsKnown;
    }

    /// <inheritdoc />
    public bool Equals(ColumnType? other)
    {
        if (other is null)
            return false;
        if (ReferenceEquals(this, other))
            return true;
        return Kind == other.Kind && Size == other.Size && KeyValues.AsSpan().SequenceEqual(other.KeyValues.AsSpan());
    }

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as ColumnType);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Kind, Size, KeyValues.Length);

    /// <summary>A readable name such as <c>Double</c>, <c>Vector&lt;Double, 12&gt;</c> or <c>Key&lt;3: A, B, C&gt;</c>.</summary>
    public override string ToString() => Kind switch
    {
        ColumnKind.Vector => Size > 0 ? $"Vector<Double, {Size}>" : "Vector<Double>",
        ColumnKind.Key => KeyValues.Length == 0 ? "Key" : KeyValues.Length <= 5
            ? $"Key<{KeyValues.Length}: {string.Join(", ", KeyValues)}>"
            : $"Key<{KeyValues.Length}: {string.Join(", ", KeyValues.Take(5))}, …>",
        _ => Kind.ToString(),
    };

    /// <summary>Equality by value.</summary>
    public static bool operator ==(ColumnType? left, ColumnType? right) => left is null ? right is null : left.Equals(right);

    /// <summary>Inequality by value.</summary>
    public static bool operator !=(ColumnType? left, ColumnType? right) => !(left == right);
}
