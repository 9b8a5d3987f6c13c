using Microsoft.ML.Causal.Data;
using Microsoft.ML.Causal.Persistence;

namespace Microsoft.ML.Causal.Transforms;

/// <summary>The slots one input column contributes to a featurized vector.</summary>
internal abstract class FeaturePiece(string input)
{
    public string Input { get; } = input;

    public abstract int Width { get; }

    public static bool Accepts(ColumnType type) => TransformChecks.IsNumeric(type) || CategoryMap.Accepts(type);

    /// <summary>Checks that <paramref name="column"/> fits this piece (throws <see cref="SchemaMismatchException"/>).</summary>
    public abstract void Check(DataSchema.Column column);

    public abstract IEnumerable<string> SlotNames(DataSchema.Column column);

    /// <summary>Returns the writer of this piece's slots for rows of <paramref name="column"/>'s schema.</summary>
    public abstract Action<CausalRow, Span<double>, int> Bind(DataSchema.Column column);

    public abstract void Save(IModelWriter writer);

    public static FeaturePiece Load(IModelReader reader) => reader.ReadInt32() switch
    {
        0 => NumericPiece.LoadBody(reader),
        1 => CategoryPiece.LoadBody(reader),
        var k => throw new ModelFileException($"Unknown feature piece kind {k}."),
    };
}

/// <summary>A numeric scalar or vector: optional mean fill with indicator slots, then optional affine scaling.</summary>
internal sealed class NumericPiece : FeaturePiece
{
    private readonly double[] _fill;      // NaN: keep missing values
    private readonly bool[] _indicator;   // add a 0/1 slot after the values for this slot
    private readonly double[] _offset;
    private readonly double[] _scale;

    private NumericPiece(string input, double[] fill, bool[] indicator, double[] offset, double[] scale)
        : base(input)
    {
        _fill = fill;
        _indicator = indicator;
        _offset = offset;
        _scale = scale;
    }

    public override int Width => _fill.Length + _indicator.Count(b => b);

    public static NumericPiece Fit(ICausalDataView data, DataSchema.Column column, bool replaceMissing, NormalizeMode? normalize)
    {
        var width = column.Type.Size;
        var fill = Enumerable.Repeat(double.NaN, width).ToArray();
        var indicator = new bool[width];
        var offset = new double[width];
        var scale = Enumerable.Repeat(1.0, width).ToArray();
        if (replaceMissing || normalize is not null)
        {
            var stats = SlotStatistics.Compute(data, column, nameof(FeaturizeEstimator));
            for (var j = 0; j < width; j++)
            {
                if (replaceMissing && stats.HadMissing[j])
                {
                    fill[j] = stats.Mean[j];
                    indicator[j] = true;
                }
                if (normalize is { } mode)
                {
                    var (o, range) = mode == NormalizeMode.MeanVariance
                        ? (stats.Mean[j], stats.StandardDeviation[j])
                        : (stats.Min[j], stats.Max[j] - stats.Min[j]);
                    offset[j] = o;
                    scale[j] = range > 0 ? 1 / range : 0;
                }
            }
        }
        return new NumericPiece(column.Name, fill, indicator, offset, scale);
    }

    public override void Check(DataSchema.Column column)
    {
        if (!TransformChecks.IsNumeric(column.Type) || column.Type.Size != _fill.Length)
            throw new SchemaMismatchException(nameof(FeaturizeTransformer), column.Name,
                _fill.Length == 1 ? "a numeric scalar" : $"Vector<Double, {_fill.Length}>", column.Type.ToString());
    }

    public override IEnumerable<string> SlotNames(DataSchema.Column column)
    {
        var names = SlotNaming.Of(column).ToArray();
        return names.Concat(names.Where((_, j) => _indicator[j]).Select(n => n + ReplaceMissingTransformer.IndicatorSuffix));
    }

    public override Action<CausalRow, Span<double>, int> Bind(DataSchema.Column column)
    {
        var c = column.Index;
        if (column.Type.Kind == ColumnKind.Vector)
            return (row, destination, _) => Write(row.VectorArray(c), destination);
        return (row, destination, _) =>
        {
            var value = row.LoadNumber(c);
            Write(new ReadOnlySpan<double>(in value), destination); // a span over the local: no allocation per value
        };
    }

    private void Write(ReadOnlySpan<double> x, Span<double> destination)
    {
        var flag = x.Length;
        for (var j = 0; j < x.Length; j++)
        {
            var v = x[j];
            var missing = double.IsNaN(v);
            if (missing && !double.IsNaN(_fill[j]))
                v = _fill[j];
            destination[j] = (v - _offset[j]) * _scale[j];
            if (_indicator[j])
                destination[flag++] = missing ? 1 : 0;
        }
    }

    public override void Save(IModelWriter writer)
    {
        writer.WriteInt32(0);
        writer.WriteString(Input);
        writer.WriteDoubles(_fill);
        writer.WriteInt32s(_indicator.Select(b => b ? 1 : 0).ToArray());
        writer.WriteDoubles(_offset);
        writer.WriteDoubles(_scale);
    }

    public static NumericPiece LoadBody(IModelReader reader)
    {
        var input = reader.ReadString();
        var fill = reader.ReadDoubles();
        var indicator = reader.ReadInt32s().Select(v => v != 0).ToArray();
        var offset = reader.ReadDoubles();
        var scale = reader.ReadDoubles();
        if (fill.Length == 0 || indicator.Length != fill.Length || offset.Length != fill.Length || scale.Length != fill.Length)
            throw new ModelFileException($"Feature piece '{input}' has inconsistent slot counts.");
        return new NumericPiece(input, fill, indicator, offset, scale);
    }
}

/// <summary>A Text or Key column, one-hot encoded.</summary>
internal sealed class CategoryPiece(string input, CategoryMap map, bool errorOnUnseen) : FeaturePiece(input)
{
    public override int Width => map.Categories.Count;

    public override void Check(DataSchema.Column column)
    {
        if (!CategoryMap.Accepts(column.Type))
            throw new SchemaMismatchException(nameof(FeaturizeTransformer), column.Name, "Text or Key", column.Type.ToString());
    }

    public override IEnumerable<string> SlotNames(DataSchema.Column column) => map.Categories.Select(c => $"{column.Name}.{c}");

    public override Action<CausalRow, Span<double>, int> Bind(DataSchema.Column column)
    {
        var lookup = map.Bind(column);
        return (row, destination, rowIndex) =>
        {
            destination.Clear();
            var index = lookup(row);
            if (index >= 0)
                destination[index] = 1;
            else if (index == CategoryMap.Unseen && errorOnUnseen)
                throw new DataValidationException(nameof(FeaturizeTransformer), column.Name, rowIndex >= 0 ? rowIndex : null,
                    $"the value '{CategoryMap.Describe(row, column)}' was not seen when the featurizer was fitted.",
                    "Refit on data that include it, or use UnseenCategoryHandling.AllZero to encode it as all zeros.");
        };
    }

    public override void Save(IModelWriter writer)
    {
        writer.WriteInt32(1);
        writer.WriteString(Input);
        writer.WriteBoolean(errorOnUnseen);
        map.Save(writer);
    }

    public static CategoryPiece LoadBody(IModelReader reader)
    {
        var input = reader.ReadString();
        var error = reader.ReadBoolean();
        return new CategoryPiece(input, CategoryMap.Load(reader), error);
    }
}
