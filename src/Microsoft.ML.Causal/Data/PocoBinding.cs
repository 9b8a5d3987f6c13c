using System.Reflection;

namespace Microsoft.ML.Causal.Data;

/// <summary>
/// Maps the public properties of <typeparamref name="T"/> to columns. Supported property types:
/// <c>double</c>, <c>float</c>, <c>int</c>, <c>bool</c>, <c>string</c> and <c>double[]</c> (a vector). Reading a
/// Key column, a <c>string</c> property receives the value name (empty when missing) and an <c>int</c> property
/// the code.
/// </summary>
internal sealed class PocoBinding<T> where T : class
{
    private static readonly Type[] Supported = [typeof(double), typeof(float), typeof(int), typeof(bool), typeof(string), typeof(double[])];

    private PocoBinding(IReadOnlyList<Member> members) => Members = members;

    public IReadOnlyList<Member> Members { get; }

    /// <summary>Properties that can be read (for loading data and engine input).</summary>
    public static PocoBinding<T> ForReading() => new(Discover(p => p.GetMethod is { IsPublic: true }));

    /// <summary>Properties that can be written (for creating objects and engine output).</summary>
    public static PocoBinding<T> ForWriting() => new(Discover(p => p.SetMethod is { IsPublic: true }));

    /// <summary>The schema of the readable properties; vector sizes come from attributes or <paramref name="vectorSizes"/>.</summary>
    public DataSchema Schema(Func<Member, int>? vectorSizes = null) => new(Members.Select(m => new ColumnDefinition(m.ColumnName, m.PropertyType switch
    {
        var t when t == typeof(double) => ColumnType.Double,
        var t when t == typeof(float) => ColumnType.Single,
        var t when t == typeof(int) => ColumnType.Int32,
        var t when t == typeof(bool) => ColumnType.Boolean,
        var t when t == typeof(string) => ColumnType.Text,
        _ => ColumnType.Vector(m.VectorSize > 0 ? m.VectorSize : vectorSizes?.Invoke(m) ?? throw new SchemaMismatchException(
            typeof(T).Name, m.ColumnName, "a known vector size", "double[] without a size",
            $"Mark property '{m.Property.Name}' with [CausalColumn(VectorSize = n)].")),
    })));

    /// <summary>Copies the readable properties of <paramref name="item"/> into <paramref name="row"/>: member i goes to column <c>columns[i]</c>.</summary>
    public void Fill(T item, CausalRow row, IReadOnlyList<int> columns)
    {
        for (var i = 0; i < Members.Count; i++)
        {
            var m = Members[i];
            var c = columns[i];
            var value = m.Property.GetValue(item);
            switch (value)
            {
                case double d: row.StoreNumber(c, d); break;
                case float f: row.StoreNumber(c, f); break;
                case int n: row.StoreNumber(c, n); break;
                case bool b: row.StoreNumber(c, b ? 1 : 0); break;
                case string s: row.StoreText(c, s); break;
                case double[] v:
                    var buffer = row.VectorArray(c);
                    if (v.Length != buffer.Length)
                        throw new SchemaMismatchException(typeof(T).Name, m.ColumnName, $"a vector of {buffer.Length} values", $"{v.Length} values");
                    v.CopyTo(buffer, 0);
                    break;
                case null when m.PropertyType == typeof(string): row.StoreText(c, string.Empty); break;
                default:
                    throw new SchemaMismatchException(typeof(T).Name, m.ColumnName, $"a non-null {m.PropertyType.Name}", "null",
                        $"Set property '{m.Property.Name}' before passing the object.");
            }
        }
    }

    /// <summary>For each writable member, a setter that reads its column from a row of <paramref name="schema"/>.</summary>
    /// <exception cref="SchemaMismatchException">A member's column is missing or cannot be converted.</exception>
    public Action<CausalRow, T>[] Setters(DataSchema schema, string component)
    {
        var setters = new Action<CausalRow, T>[Members.Count];
        for (var i = 0; i < Members.Count; i++)
        {
            var m = Members[i];
            if (!schema.TryGetColumn(m.ColumnName, out var column))
                throw SchemaMismatchException.Missing(component, m.ColumnName, $"a column for property '{m.Property.Name}' ({m.PropertyType.Name})", schema);
            var c = column.Index;
            var kind = column.Type.Kind;
            var p = m.Property;
            var t = m.PropertyType;
            Action<CausalRow, T>? setter = kind switch
            {
                ColumnKind.Double or ColumnKind.Single or ColumnKind.Int32 or ColumnKind.Boolean when t == typeof(double) => (r, o) => p.SetValue(o, r.LoadNumber(c)),
                ColumnKind.Double or ColumnKind.Single when t == typeof(float) => (r, o) => p.SetValue(o, (float)r.LoadNumber(c)),
                ColumnKind.Int32 or ColumnKind.Key when t == typeof(int) => (r, o) => p.SetValue(o, (int)r.LoadNumber(c)),
                ColumnKind.Boolean when t == typeof(bool) => (r, o) => p.SetValue(o, r.LoadNumber(c) != 0),
                ColumnKind.Text when t == typeof(string) => (r, o) => p.SetValue(o, r.LoadText(c)),
                ColumnKind.Key when t == typeof(string) => (r, o) =>
                {
                    var code = (int)r.LoadNumber(c);
                    p.SetValue(o, code < 0 ? string.Empty : column.Type.KeyValues[code]);
                },
                ColumnKind.Vector when t == typeof(double[]) => (r, o) => p.SetValue(o, r.VectorArray(c).ToArray()),
                _ => null,
            };
            setters[i] = setter ?? throw new SchemaMismatchException(component, m.ColumnName,
                $"a type that converts to property '{p.Name}' ({t.Name})", column.Type.ToString(),
                "Change the property's type to match the column.");
        }
        return setters;
    }

    private static List<Member> Discover(Func<PropertyInfo, bool> accessible)
    {
        var members = new List<Member>();
        foreach (var p in typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (p.GetIndexParameters().Length > 0 || p.GetCustomAttribute<CausalIgnoreAttribute>() is not null || !accessible(p))
                continue;
            if (Array.IndexOf(Supported, p.PropertyType) < 0)
                throw new NotSupportedException(
                    $"Property '{typeof(T).Name}.{p.Name}' has type {p.PropertyType.Name}; supported types are double, float, int, bool, string and double[]. Mark it [CausalIgnore] to leave it out.");
            var attribute = p.GetCustomAttribute<CausalColumnAttribute>();
            members.Add(new Member(p, attribute?.Name ?? p.Name, attribute?.VectorSize ?? 0));
        }
        return members;
    }

    public sealed record Member(PropertyInfo Property, string ColumnName, int VectorSize)
    {
        public Type PropertyType => Property.PropertyType;
    }
}
