using Microsoft.ML.Causal.Data;
using Microsoft.ML.Causal.Persistence;

namespace Microsoft.ML.Causal.Transforms;

/// <summary>The fitted one-hot encoder (see <see cref="OneHotEstimator"/>).</summary>
public sealed class OneHotTransformer : RowToRowTransformerBase
{
    internal const string LoaderName = "OneHot";
    internal const int Version = 1;

    private readonly List<(string Output, string Input, CategoryMap Map)> _columns;

    internal OneHotTransformer(List<(string Output, string Input, CategoryMap Map)> columns, UnseenCategoryHandling unseen)
    {
        _columns = columns;
        UnseenCategory = unseen;
    }

    /// <summary>What an unseen category does.</summary>
    public UnseenCategoryHandling UnseenCategory { get; }

    /// <summary>The learned categories of each output column, in slot order.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Categories => _columns.ToDictionary(c => c.Output, c => c.Map.Categories);

    /// <inheritdoc />
    public override string ComponentName => LoaderName;

    /// <inheritdoc />
    public override int ComponentVersion => Version;

    /// <inheritdoc />
    protected override RowFunction Bind(DataSchema inputSchema) => new Function(this, inputSchema);

    /// <inheritdoc />
    public override void Save(IModelWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteInt32((int)UnseenCategory);
        writer.WriteInt32(_columns.Count);
        foreach (var (output, input, map) in _columns)
        {
            writer.WriteString(output);
            writer.WriteString(input);
            map.Save(writer);
        }
    }

    internal static OneHotTransformer Load(IModelReader reader)
    {
        var unseen = (UnseenCategoryHandling)reader.ReadInt32();
        if (!Enum.IsDefined(unseen))
            throw new ModelFileException($"Unknown unseen-category handling {(int)unseen}.");
        var n = reader.ReadInt32();
        var columns = new List<(string, string, CategoryMap)>();
        for (var i = 0; i < n; i++)
            columns.Add((reader.ReadString(), reader.ReadString(), CategoryMap.Load(reader)));
        return new OneHotTransformer(columns, unseen);
    }

    private sealed class Function : RowFunction
    {
        private readonly Func<CausalRow, int>[] _lookups;
        private readonly DataSchema.Column[] _inputs;
        private readonly bool _errorOnUnseen;

        public Function(OneHotTransformer parent, DataSchema schema)
            : this(parent, schema, Inputs(parent, schema))
        {
        }

        private Function(OneHotTransformer parent, DataSchema schema, DataSchema.Column[] inputs)
            : base(schema, inputs.Select(c => c.Index),
                parent._columns.Select(c => new ColumnDefinition(c.Output, ColumnType.Vector(c.Map.Categories.Count), c.Map.Categories)))
        {
            _inputs = inputs;
            _lookups = parent._columns.Select((c, i) => c.Map.Bind(inputs[i])).ToArray();
            _errorOnUnseen = parent.UnseenCategory == UnseenCategoryHandling.Error;
        }

        private static DataSchema.Column[] Inputs(OneHotTransformer parent, DataSchema schema) =>
            parent._columns.Select(c => TransformChecks.Require(nameof(OneHotTransformer), schema, c.Input, CategoryMap.Accepts, "Text or Key")).ToArray();

        public override void Compute(CausalRow input, CausalRow added, int rowIndex)
        {
            for (var k = 0; k < _lookups.Length; k++)
            {
                var slots = added.VectorArray(k);
                Array.Clear(slots);
                var index = _lookups[k](input);
                if (index >= 0)
                    slots[index] = 1;
                else if (index == CategoryMap.Unseen && _errorOnUnseen)
                    throw new DataValidationException(nameof(OneHotTransformer), _inputs[k].Name, rowIndex >= 0 ? rowIndex : null,
                        $"the value '{CategoryMap.Describe(input, _inputs[k])}' was not seen when the encoder was fitted.",
                        "Refit on data that include it, or use UnseenCategoryHandling.AllZero to encode it as all zeros.");
            }
        }
    }
}
