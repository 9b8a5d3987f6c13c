using System.Collections;
using System.Collections.Immutable;

namespace Microsoft.ML.Causal.Data;

/// <summary>
/// An immutable, ordered list of named, typed columns. Column names are unique (ordinal comparison).
/// </summary>
public sealed partial class DataSchema : IReadOnlyList<DataSchema.Column>, IEquatable<DataSchema>
{
    private readonly ImmutableArray<Column> _columns;
    private readonly Dictionary<string, int> _byName;

    /// <summary>Creates a schema from column definitions; indices follow the order given.</summary>
    /// <param name="columns">Name, type and optional slot names for each column.</param>
    /// <exception cref="ArgumentException">A name is empty or repeats, or slot names do not match a vector's size.</exception>
    public DataSchema(IEnumerable<ColumnDefinition> columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        var builder = ImmutableArray.CreateBuilder<Column>();
        _byName = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var def in columns)
        {
            ArgumentNullException.ThrowIfNull(def);
            if (string.IsNullOrEmpty(def.Name))
                throw new ArgumentException($"Column {builder.Count} has an empty name; every column needs a name.", nameof(columns));
            if (!_byName.TryAdd(def.Name, builder.Count))
                throw new ArgumentException($"The column name '{def.Name}' appears twice; column names must be unique.", nameof(columns));
            if (!def.SlotNames.IsDefaultOrEmpty && def.Type.Kind == ColumnKind.Vector && def.Type.Size > 0 && def.SlotNames.Length != def.Type.Size)
                throw new ArgumentException($"Column '{def.Name}' is a vector of size {def.Type.Size} but has {def.SlotNames.Length} slot names.", nameof(columns));
            builder.Add(new Column(def.Name, builder.Count, def.Type, def.SlotNames.IsDefault ? ImmutableArray<string>.Empty : def.SlotNames));
        }
        _columns = builder.ToImmutable();
    }

    /// <summary>An empty schema.</summary>
    public static DataSchema Empty { get; } = new(Array.Empty<ColumnDefinition>());

    /// <summary>Number of columns.</summary>
    public int Count => _columns.Length;

    /// <summary>The column at <paramref name="index"/>.</summary>
    public Column this[int index] => _columns[index];

    /// <summary>The column named <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">No such column; the message lists the columns there are.</exception>
    public Column this[string name] => TryGetColumn(name, out var c)
        ? c
        : throw new KeyNotFoundException($"There is no column '{name}'. Columns: {DescribeNames()}.");

    /// <summary>Looks up a column by name.</summary>
    public bool TryGetColumn(string name, out Column column)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (_byName.TryGetValue(name, out var i))
        {
            column = _columns[i];
            return true;
        }
        column = null!;
        return false;
    }

    /// <summary>
    /// A schema with <paramref name="added"/> appended. An added column whose name already exists replaces the
    /// existing one, which is removed from its position (so the new column is always at the end).
    /// </summary>
    public DataSchema WithColumns(IEnumerable<ColumnDefinition> added)
    {
        ArgumentNullException.ThrowIfNull(added);
        var list = added.ToList();
        var replaced = new HashSet<string>(list.Select(c => c.Name), StringComparer.Ordinal);
        return new DataSchema(_columns.Where(c => !replaced.Contains(c.Name)).Select(c => c.ToDefinition()).Concat(list));
    }

    /// <summary>The column definitions, in order.</summary>
    public IEnumerable<ColumnDefinition> ToDefinitions() => _columns.Select(c => c.ToDefinition());

    /// <inheritdoc />
    public IEnumerator<Column> GetEnumerator() => ((IEnumerable<Column>)_columns).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Equal when the columns have the same names, types and slot names in the same order.</summary>
    public bool Equals(DataSchema? other)
    {
        if (other is null || other.Count != Count)
            return false;
        for (var i = 0; i < Count; i++)
        {
            var a = _columns[i];
            var b = other._columns[i];
            if (a.Name != b.Name || a.Type != b.Type || !a.SlotNames.AsSpan().SequenceEqual(b.SlotNames.AsSpan()))
                return false;
        }
        return true;
    }

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as DataSchema);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var h = new HashCode();
        foreach (var c in _columns)
        {
            h.Add(c.Name);
            h.Add(c.Type);
        }
        return h.ToHashCode();
    }

    /// <summary>One line per column: <c>name: type</c>.</summary>
    public override string ToString() => string.Join(Environment.NewLine, _columns.Select(c => $"{c.Name}: {c.Type}"));

    internal string DescribeNames()
    {
        const int shown = 20;
        var names = string.Join(", ", _columns.Take(shown).Select(c => $"'{c.Name}'"));
        return Count == 0 ? "(none)" : Count > shown ? names + $", … ({Count} in all)" : names;
    }

    /// <summary>A column of a schema.</summary>
    /// <param name="Name">The column's unique name.</param>
    /// <param name="Index">Its position in the schema.</param>
    /// <param name="Type">Its value type.</param>
    /// <param name="SlotNames">Names of a vector's slots (empty when unnamed).</param>
    public sealed record Column(string Name, int Index, ColumnType Type, ImmutableArray<string> SlotNames)
    {
        /// <summary>This column's name, type and slot names, without its position.</summary>
        public ColumnDefinition ToDefinition() => new(Name, Type, SlotNames);
    }
}
