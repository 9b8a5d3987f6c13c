using Microsoft.ML.Causal.Data;
using Microsoft.ML.Causal.Persistence;

namespace Microsoft.ML.Causal.Transforms;

/// <summary>
/// The categories learned from a Text or Key column, and the lookup from a row's value to a category index.
/// Text categories are the distinct non-empty values sorted ordinally; Key categories are the key's value
/// names in key order. At scoring, values are matched by name, so a Key column with the same names in
/// another order still maps correctly.
/// </summary>
internal sealed class CategoryMap
{
    public const int Missing = -1;
    public const int Unseen = -2;

    private readonly Dictionary<string, int> _index;

    public CategoryMap(IReadOnlyList<string> categories)
    {
        Categories = categories;
        _index = new Dictionary<string, int>(categories.Count, StringComparer.Ordinal);
        for (var i = 0; i < categories.Count; i++)
            _index[categories[i]] = i;
    }

    public IReadOnlyList<string> Categories { get; }

    public static bool Accepts(ColumnType type) => type.Kind is ColumnKind.Text or ColumnKind.Key;

    public static CategoryMap Fit(ICausalDataView data, DataSchema.Column column, string component)
    {
        IReadOnlyList<string> categories;
        if (column.Type.Kind == ColumnKind.Key)
        {
            categories = column.Type.KeyValues;
        }
        else
        {
            var distinct = new HashSet<string>(StringComparer.Ordinal);
            foreach (var v in data.GetColumn<string>(column.Index).Span)
            {
                if (v.Length > 0)
                    distinct.Add(v);
            }
            categories = distinct.Order(StringComparer.Ordinal).ToArray();
        }
        if (categories.Count == 0)
            throw new DataValidationException(component, column.Name, null, "every value is missing (empty), so there are no categories to learn.", "Fill the column or leave it out.");
        return new CategoryMap(categories);
    }

    /// <summary>A function from a row to the category index of <paramref name="column"/> (<see cref="Missing"/>, <see cref="Unseen"/>).</summary>
    public Func<CausalRow, int> Bind(DataSchema.Column column)
    {
        var c = column.Index;
        if (column.Type.Kind == ColumnKind.Text)
        {
            return row =>
            {
                var v = row.LoadText(c);
                return v.Length == 0 ? Missing : _index.TryGetValue(v, out var i) ? i : Unseen;
            };
        }
        var remap = column.Type.KeyValues.Select(name => _index.TryGetValue(name, out var i) ? i : Unseen).ToArray();
        return row =>
        {
            var code = (int)row.LoadNumber(c);
            return code < 0 ? Missing : remap[code];
        };
    }

    /// <summary>A readable form of the value that gave <see cref="Unseen"/>, for error messages.</summary>
    public static string Describe(CausalRow row, DataSchema.Column column) => column.Type.Kind == ColumnKind.Text
        ? row.LoadText(column.Index)
        : column.Type.KeyValues[(int)row.LoadNumber(column.Index)];

    public void Save(IModelWriter writer) => writer.WriteStrings(Categories.ToArray());

    public static CategoryMap Load(IModelReader reader)
    {
        var categories = reader.ReadStrings();
        if (categories.Length == 0 || categories.Distinct(StringComparer.Ordinal).Count() != categories.Length)
            throw new ModelFileException("A category list is empty or repeats a value.");
        return new CategoryMap(categories);
    }
}
