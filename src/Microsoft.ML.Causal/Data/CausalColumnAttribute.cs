namespace Microsoft.ML.Causal.Data;

/// <summary>
/// Binds a property of a POCO to a column: sets the column name (default: the property name) and, for
/// <c>double[]</c> properties, the vector size.
/// </summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false)]
public sealed class CausalColumnAttribute : Attribute
{
    /// <summary>Binds the property to the column of the property's own name.</summary>
    public CausalColumnAttribute()
    {
    }

    /// <summary>Binds the property to the column <paramref name="name"/>.</summary>
    public CausalColumnAttribute(string name) => Name = name;

    /// <summary>The column name, or null for the property name.</summary>
    public string? Name { get; }

    /// <summary>For a <c>double[]</c> property: the vector size (0 = take it from the data).</summary>
    public int VectorSize { get; init; }
}

/// <summary>Leaves a property of a POCO out of every column binding.</summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false)]
public sealed class CausalIgnoreAttribute : Attribute
{
}
