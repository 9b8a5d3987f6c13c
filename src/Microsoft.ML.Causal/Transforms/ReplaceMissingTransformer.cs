using Microsoft.ML.Causal.Data;
using Microsoft.ML.Causal.Persistence;

namespace Microsoft.ML.Causal.Transforms;

/// <summary>The fitted replacement of missing values (see <see cref="ReplaceMissingEstimator"/>).</summary>
public sealed class ReplaceMissingTransformer : RowToRowTransformerBase
{
    internal const string LoaderName = "ReplaceMissing";
    internal const int Version = 1;

    /// <summary>The suffix of indicator column names.</summary>
    public const string IndicatorSuffix = "_IsMissing";

    private readonly IReadOnlyList<Fill> _columns;

    internal ReplaceMissingTransformer(ReplacementMode mode, bool addIndicator, IReadOnlyList<Fill> columns)
    {
        Mode = mode;
        AddIndicator = addIndicator;
        _columns = columns;
    }

    /// <summary>How the replacement values were chosen.</summary>
    public ReplacementMode Mode { get; }

    /// <summary>Whether indicator columns are added.</summary>
    public bool AddIndicator { get; }

    /// <summary>Per output column, the value that replaces a missing one in each slot.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<double>> ReplacementValues =>
        _columns.ToDictionary(c => c.Output, c => (IReadOnlyList<double>)c.Values);

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
        writer.WriteInt32((int)Mode);
        writer.WriteBoolean(AddIndicator);
        writer.WriteInt32(_columns.Count);
        foreach (var c in _columns)
        {
            writer.WriteString(c.Output);
            writer.WriteString(c.Input);
            writer.WriteDoubles(c.Values);
        }
    }

    internal static ReplaceMissingTransformer Load(IModelReader reader)
    {
        var mode = (ReplacementMode)reader.ReadInt32();
        if (!Enum.IsDefined(mode))
            throw new ModelFileException($"Unknown replacement mode {(int)mode}.");
        var indicator = reader.ReadBoolean();
        var n = reader.ReadInt32();
        var columns = new List<Fill>();
        for (var i = 0; i < n; i++)
        {
            var fill = new Fill(reader.ReadString(), reader.ReadString(), reader.ReadDoubles());
            if (fill.Values.Length == 0)
                throw new ModelFileException($"ReplaceMissing column '{fill.Output}' has no replacement values.");
            columns.Add(fill);
        }
        return new ReplaceMissingTransformer(mode, indicator, columns);
    }

    internal static IEnumerable<ColumnDefinition> OutputDefinitions(string output, DataSchema.Column input, bool indicator)
    {
        yield return new ColumnDefinition(output, input.Type, input.SlotNames);
        if (indicator)
            yield return new ColumnDefinition(output + IndicatorSuffix, input.Type.Kind == ColumnKind.Vector ? input.Type : ColumnType.Double, input.SlotNames);
    }

    internal sealed record Fill(string Output, string Input, double[] Values);

    private sealed class Function : RowFunction
    {
        private readonly IReadOnlyList<Fill> _columns;
        private readonly DataSchema.Column[] _inputs;
        private readonly int _perColumn;

        public Function(ReplaceMissingTransformer parent, DataSchema schema)
            : this(parent, schema, Inputs(parent, schema))
        {
        }

        private Function(ReplaceMissingTransformer parent, DataSchema schema, DataSchema.Column[] inputs)
            : base(schema, inputs.Select(c => c.Index), inputs.SelectMany((c, i) => OutputDefinitions(parent._columns[i].Output, c, parent.AddIndicator)))
        {
            _columns = parent._columns;
            _inputs = inputs;
            _perColumn = parent.AddIndicator ? 2 : 1;
        }

        private static DataSchema.Column[] Inputs(ReplaceMissingTransformer parent, DataSchema schema) => parent._columns.Select(c =>
        {
            var column = TransformChecks.Require(nameof(ReplaceMissingTransformer), schema, c.Input, TransformChecks.CanBeMissing, "Double, Single or Vector<Double>");
            if (column.Type.Size != c.Values.Length)
                throw new SchemaMismatchException(nameof(ReplaceMissingTransformer), c.Input, c.Values.Length == 1 ? "Double or Single" : $"Vector<Double, {c.Values.Length}>", column.Type.ToString());
            return column;
        }).ToArray();

        public override void Compute(CausalRow input, CausalRow added, int rowIndex)
        {
            for (var k = 0; k < _columns.Count; k++)
            {
                var fill = _columns[k].Values;
                var column = _inputs[k];
                var outIndex = k * _perColumn;
                if (column.Type.Kind == ColumnKind.Vector)
                {
                    var x = input.VectorArray(column.Index);
                    var y = added.VectorArray(outIndex);
                    var flags = _perColumn == 2 ? added.VectorArray(outIndex + 1) : null;
                    for (var j = 0; j < x.Length; j++)
                    {
                        var missing = double.IsNaN(x[j]);
                        y[j] = missing ? fill[j] : x[j];
                        if (flags is not null)
                            flags[j] = missing ? 1 : 0;
                    }
                }
                else
                {
                    var x = input.LoadNumber(column.Index);
                    var missing = double.IsNaN(x);
                    added.StoreNumber(outIndex, missing ? fill[0] : x);
                    if (_perColumn == 2)
                        added.StoreNumber(outIndex + 1, missing ? 1 : 0);
                }
            }
        }
    }
}
