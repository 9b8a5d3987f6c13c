using System.Runtime.ExceptionServices;
using Microsoft.ML.Causal.Data;
using Microsoft.ML.Causal.Persistence;

namespace Microsoft.ML.Causal;

/// <summary>
/// Base of transformers that compute added columns row by row. A subclass supplies <see cref="Bind"/> (check the
/// input schema, return the <see cref="RowFunction"/>) and persistence; this class provides schema propagation,
/// batch <see cref="Transform"/> (parallel over blocks of rows, so the result never depends on the thread
/// count) and single-row mapping.
/// </summary>
public abstract class RowToRowTransformerBase : ICausalTransformer
{
    private const int BlockSize = 4096;

    /// <inheritdoc />
    public abstract string ComponentName { get; }

    /// <inheritdoc />
    public abstract int ComponentVersion { get; }

    /// <inheritdoc />
    public abstract void Save(IModelWriter writer);

    /// <summary>Checks <paramref name="inputSchema"/> and binds the row computation to it.</summary>
    /// <exception cref="SchemaMismatchException">A needed column is missing or of the wrong type.</exception>
    protected abstract RowFunction Bind(DataSchema inputSchema);

    /// <inheritdoc />
    public DataSchema GetOutputSchema(DataSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        return Bind(inputSchema).OutputSchema;
    }

    /// <inheritdoc />
    public ICausalRowMapper GetRowMapper(DataSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        return new Mapper(Bind(inputSchema));
    }

    /// <inheritdoc />
    public ICausalDataView Transform(ICausalDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var function = Bind(input.Schema);
        var added = function.AddedSchema;
        var writers = added.Select(c => ColumnWriter.Create(c.Type, input.RowCount)).ToArray();
        var blocks = (input.RowCount + BlockSize - 1) / BlockSize;
        try
        {
            var step = Math.Clamp(function.BlockRows, 1, BlockSize);
            Parallel.For(0, blocks, () => new BlockState(input, function.InputColumns, added, step), (block, _, state) =>
            {
                var end = Math.Min(input.RowCount, (block + 1) * BlockSize);
                for (var first = block * BlockSize; first < end; first += step)
                {
                    var count = Math.Min(step, end - first);
                    for (var i = 0; i < count; i++)
                        state.In[i].Load(first + i);
                    function.ComputeBlock(state.Rows.AsSpan(0, count), state.Out.AsSpan(0, count), first);
                    for (var i = 0; i < count; i++)
                    {
                        for (var c = 0; c < writers.Length; c++)
                            writers[c].CopyFrom(state.Out[i], c, first + i);
                    }
                }
                return state;
            }, _ => { });
        }
        catch (AggregateException e)
        {
            // Which block failed first depends on thread timing; replay the rows in order so the error
            // reported is always the one of the earliest bad row.
            var state = new CausalRowCursorState(input, function.InputColumns);
            var scratch = new CausalRow(added);
            for (var row = 0; row < input.RowCount; row++)
            {
                state.Load(row);
                function.Compute(state.Row, scratch, row);
            }
            ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }
        return InMemoryDataView.Extend(input, added.ToDefinitions().ToList(), writers.Select(w => w.ToStorage()).ToList());
    }

    /// <summary>One worker's rows for a block of <c>step</c> rows: the loaders of the input rows, the rows they fill, the rows written.</summary>
    private sealed class BlockState
    {
        public BlockState(ICausalDataView input, IReadOnlyList<int> columns, DataSchema added, int step)
        {
            In = Enumerable.Range(0, step).Select(_ => new CausalRowCursorState(input, columns)).ToArray();
            Rows = In.Select(s => s.Row).ToArray();
            Out = Enumerable.Range(0, step).Select(_ => new CausalRow(added)).ToArray();
        }

        public CausalRowCursorState[] In { get; }

        public CausalRow[] Rows { get; }

        public CausalRow[] Out { get; }
    }

    /// <summary>Fills a row from given rows of a view, for the columns a function reads.</summary>
    private sealed class CausalRowCursorState
    {
        private readonly ColumnReader[] _readers;
        private readonly IReadOnlyList<int> _columns;

        public CausalRowCursorState(ICausalDataView view, IReadOnlyList<int> columns)
        {
            _columns = columns;
            _readers = columns.Select(c => ColumnReader.Create(view, c)).ToArray();
            Row = new CausalRow(view.Schema);
        }

        public CausalRow Row { get; }

        public void Load(int row)
        {
            for (var i = 0; i < _readers.Length; i++)
                _readers[i].CopyTo(row, Row, _columns[i]);
        }
    }

    private sealed class Mapper(RowFunction function) : ICausalRowMapper
    {
        private readonly int[] _passThroughSource = function.OutputSchema
            .Take(function.OutputSchema.Count - function.AddedSchema.Count)
            .Select(c => function.InputSchema[c.Name].Index).ToArray();

        public DataSchema InputSchema => function.InputSchema;

        public DataSchema OutputSchema => function.OutputSchema;

        public void Map(CausalRow input, CausalRow output)
        {
            ArgumentNullException.ThrowIfNull(input);
            ArgumentNullException.ThrowIfNull(output);
            var added = new CausalRow(function.AddedSchema);
            function.Compute(input, added, -1);
            for (var i = 0; i < _passThroughSource.Length; i++)
                output.CopyFrom(input, _passThroughSource[i], i);
            for (var c = 0; c < added.Schema.Count; c++)
                output.CopyFrom(added, c, _passThroughSource.Length + c);
        }
    }
}
