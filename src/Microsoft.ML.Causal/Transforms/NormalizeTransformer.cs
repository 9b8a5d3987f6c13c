using Microsoft.ML.Causal.Data;
using Microsoft.ML.Causal.Persistence;

namespace Microsoft.ML.Causal.Transforms;

/// <summary>The fitted normalizer: y = (x − offset) · scale per slot (see <see cref="NormalizeEstimator"/>).</summary>
public sealed class NormalizeTransformer : RowToRowTransformerBase
{
    internal const string LoaderName = "Normalize";
    internal const int Version = 1;

    private readonly IReadOnlyList<Slots> _columns;

    internal NormalizeTransformer(NormalizeMode mode, IReadOnlyList<Slots> columns)
    {
        Mode = mode;
        _columns = columns;
    }

    /// <summary>The scaling that was fitted.</summary>
    public NormalizeMode Mode { get; }

    /// <summary>Per output column: the offset and scale of each slot.</summary>
    public IReadOnlyDictionary<string, (IReadOnlyList<double> Offset, IReadOnlyList<double> Scale)> Parameters =>
        _columns.ToDictionary(c => c.Output, c => ((IReadOnlyList<double>)c.Offset, (IReadOnlyList<double>)c.Scale));

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
        writer.WriteInt32(_columns.Count);
        foreach (var c in _columns)
        {
            writer.WriteString(c.Output);
            writer.WriteString(c.Input);
            writer.WriteDoubles(c.Offset);
            writer.WriteDoubles(c.Scale);
        }
    }

    internal static NormalizeTransformer Load(IModelReader reader)
    {
        var mode = (NormalizeMode)reader.ReadInt32();
        if (!Enum.IsDefined(mode))
            throw new ModelFileException($"Unknown normalize mode {(int)mode}.");
        var n = reader.ReadInt32();
        var columns = new List<Slots>();
        for (var i = 0; i < n; i++)
        {
            var s = new Slots(reader.ReadString(), reader.ReadString(), reader.ReadDoubles(), reader.ReadDoubles());
            if (s.Offset.Length != s.Scale.Length || s.Offset.Length == 0)
                throw new ModelFileException($"Normalize column '{s.Output}' has {s.Offset.Length} offsets and {s.Scale.Length} scales.");
            columns.Add(s);
        }
        return new NormalizeTransformer(mode, columns);
    }

    internal static ColumnDefinition OutputDefinition(string output, DataSchema.Column input) =>
        input.Type.Kind == ColumnKind.Vector
            ? new ColumnDefinition(output, input.Type, input.SlotNames)
            : new ColumnDefinition(output, ColumnType.Double);

    internal sealed record Slots(string Output, string Input, double[] Offset, double[] Scale);

    private sealed class Function : RowFunction
    {
        private readonly IReadOnlyList<Slots> _columns;
        private readonly DataSchema.Column[] _inputs;

        public Function(NormalizeTransformer parent, DataSchema schema)
            : this(parent, schema, Inputs(parent, schema))
        {
        }

        private Function(NormalizeTransformer parent, DataSchema schema, DataSchema.Column[] inputs)
            : base(schema, inputs.Select(c => c.Index), inputs.Select((c, i) => OutputDefinition(parent._columns[i].Output, c)))
        {
            _columns = parent._columns;
            _inputs = inputs;
        }

        private static DataSchema.Column[] Inputs(NormalizeTransformer parent, DataSchema schema) => parent._columns.Select(c =>
        {
            var column = TransformChecks.Require(nameof(NormalizeTransformer), schema, c.Input, TransformChecks.IsNumeric, "a numeric scalar or Vector<Double>");
            if (column.Type.Size != c.Offset.Length)
                throw new SchemaMismatchException(nameof(NormalizeTransformer), c.Input, c.Offset.Length == 1 ? "a numeric scalar" : $"Vector<Double, {c.Offset.Length}>", column.Type.ToString());
            return column;
        }).ToArray();

        public override void Compute(CausalRow input, CausalRow added, int rowIndex)
        {
            for (var k = 0; k < _columns.Count; k++)
            {
                var c = _columns[k];
                var column = _inputs[k];
                if (column.Type.Kind == ColumnKind.Vector)
                {
                    var x = input.VectorArray(column.Index);
                    var y = added.VectorArray(k);
                    for (var j = 0; j < x.Length; j++)
                        y[j] = (x[j] - c.Offset[j]) * c.Scale[j];
                }
                else
                {
                    added.StoreNumber(k, (input.LoadNumber(column.Index) - c.Offset[0]) * c.Scale[0]);
                }
            }
        }
    }
}
