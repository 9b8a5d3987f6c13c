using Microsoft.ML.Causal.Data;
using Microsoft.ML.Causal.Persistence;

namespace Microsoft.ML.Causal.Transforms;

/// <summary>The fitted featurizer (see <see cref="FeaturizeEstimator"/>).</summary>
public sealed class FeaturizeTransformer : RowToRowTransformerBase
{
    internal const string LoaderName = "Featurize";
    internal const int Version = 1;

    private readonly IReadOnlyList<FeaturePiece> _pieces;

    internal FeaturizeTransformer(string outputColumnName, IReadOnlyList<FeaturePiece> pieces)
    {
        OutputColumnName = outputColumnName;
        _pieces = pieces;
    }

    /// <summary>The feature vector column created.</summary>
    public string OutputColumnName { get; }

    /// <summary>The input columns, in slot order.</summary>
    public IReadOnlyList<string> InputColumnNames => _pieces.Select(p => p.Input).ToArray();

    /// <summary>Number of slots of the feature vector.</summary>
    public int FeatureCount => _pieces.Sum(p => p.Width);

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
        writer.WriteString(OutputColumnName);
        writer.WriteInt32(_pieces.Count);
        foreach (var p in _pieces)
            p.Save(writer);
    }

    internal static FeaturizeTransformer Load(IModelReader reader)
    {
        var output = reader.ReadString();
        var n = reader.ReadInt32();
        if (n <= 0 || n > 1_000_000)
            throw new ModelFileException($"The featurizer claims {n} input columns.");
        var pieces = new List<FeaturePiece>(n);
        for (var i = 0; i < n; i++)
            pieces.Add(FeaturePiece.Load(reader));
        return new FeaturizeTransformer(output, pieces);
    }

    private sealed class Function : RowFunction
    {
        private readonly Action<CausalRow, Span<double>, int>[] _writers;
        private readonly int[] _widths;

        public Function(FeaturizeTransformer parent, DataSchema schema)
            : this(parent, schema, Inputs(parent, schema))
        {
        }

        private Function(FeaturizeTransformer parent, DataSchema schema, DataSchema.Column[] inputs)
            : base(schema, inputs.Select(c => c.Index),
                [new ColumnDefinition(parent.OutputColumnName, ColumnType.Vector(parent.FeatureCount), parent._pieces.SelectMany((p, i) => p.SlotNames(inputs[i])))])
        {
            _writers = parent._pieces.Select((p, i) => p.Bind(inputs[i])).ToArray();
            _widths = parent._pieces.Select(p => p.Width).ToArray();
        }

        private static DataSchema.Column[] Inputs(FeaturizeTransformer parent, DataSchema schema) => parent._pieces.Select(p =>
        {
            var column = TransformChecks.Require(nameof(FeaturizeTransformer), schema, p.Input, FeaturePiece.Accepts, "a numeric scalar, Vector<Double>, Text or Key");
            p.Check(column);
            return column;
        }).ToArray();

        public override void Compute(CausalRow input, CausalRow added, int rowIndex)
        {
            Span<double> y = added.VectorArray(0);
            var at = 0;
            for (var k = 0; k < _writers.Length; k++)
            {
                _writers[k](input, y.Slice(at, _widths[k]), rowIndex);
                at += _widths[k];
            }
        }
    }
}
