using Microsoft.ML.Causal.Data;
using Microsoft.ML.Causal.Persistence;

namespace Microsoft.ML.Causal.Transforms;

/// <summary>Concatenates numeric columns into one vector (see <see cref="ConcatenateEstimator"/>).</summary>
public sealed class ConcatenateTransformer : RowToRowTransformerBase
{
    internal const string LoaderName = "Concatenate";
    internal const int Version = 1;

    internal ConcatenateTransformer(string outputColumnName, IReadOnlyList<string> inputColumnNames)
    {
        OutputColumnName = outputColumnName;
        InputColumnNames = inputColumnNames;
    }

    /// <summary>The vector column created.</summary>
    public string OutputColumnName { get; }

    /// <summary>The columns concatenated, in order.</summary>
    public IReadOnlyList<string> InputColumnNames { get; }

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
        writer.WriteStrings(InputColumnNames);
    }

    internal static ConcatenateTransformer Load(IModelReader reader) => new(reader.ReadString(), reader.ReadStrings());

    internal static DataSchema.Column[] Inputs(string output, IReadOnlyList<string> inputs, DataSchema schema, string component)
    {
        if (string.IsNullOrEmpty(output))
            throw new ArgumentException($"{component}: the output column name is empty.");
        if (inputs.Count == 0)
            throw new ArgumentException($"{component}: no input columns were given; pass at least one.");
        return inputs.Select(name => TransformChecks.Require(component, schema, name, TransformChecks.IsNumeric,
            "a numeric scalar (Double, Single, Int32, Boolean) or Vector<Double>; one-hot encode Text and Key columns first, or use Featurize")).ToArray();
    }

    private sealed class Function : RowFunction
    {
        private readonly DataSchema.Column[] _inputs;

        public Function(ConcatenateTransformer parent, DataSchema schema)
            : this(Inputs(parent.OutputColumnName, parent.InputColumnNames, schema, nameof(ConcatenateTransformer)), parent.OutputColumnName, schema)
        {
        }

        private Function(DataSchema.Column[] inputs, string output, DataSchema schema)
            : base(schema, inputs.Select(c => c.Index),
                [new ColumnDefinition(output, ColumnType.Vector(inputs.Sum(c => c.Type.Size)), inputs.SelectMany(SlotNaming.Of))])
        {
            _inputs = inputs;
        }

        public override void Compute(CausalRow input, CausalRow added, int rowIndex)
        {
            var y = added.VectorArray(0);
            var at = 0;
            foreach (var column in _inputs)
            {
                if (column.Type.Kind == ColumnKind.Vector)
                {
                    var x = input.VectorArray(column.Index);
                    x.CopyTo(y, at);
                    at += x.Length;
                }
                else
                {
                    y[at++] = input.LoadNumber(column.Index);
                }
            }
        }
    }
}
