using System.Buffers;
using Microsoft.ML.Causal.Data;
using Microsoft.ML.Causal.Inference;
using Microsoft.ML.Causal.Learners;
using Microsoft.ML.Causal.Persistence;

namespace Microsoft.ML.Causal.Trainers;

/// <summary>
/// A fitted CATE model in a pipeline: reads the feature vector and adds <c>Cate</c> (τ̂(x)) and, when the model
/// has intervals, <c>CateLower</c> and <c>CateUpper</c> (the two-sided interval at <see cref="Level"/>), and, when
/// the model estimates the variance of τ̂(x) (<see cref="CateModel.HasVariance"/>: the causal forests' little-bags
/// variance), <c>CateVariance</c> = V̂(x), so that the interval is τ̂ ± z·√V̂. For a
/// binary or continuous treatment the three are Double columns; for several arms they are vectors with one slot
/// per non-control arm, the arm names as slot names.
/// </summary>
public sealed class CateTransformer : RowToRowTransformerBase
{
    internal const string LoaderName = "CateTransformer";
    internal const int Version = 1;

    /// <summary>The name of the estimate column.</summary>
    public const string CateColumn = "Cate";

    /// <summary>The name of the interval's lower bound column.</summary>
    public const string LowerColumn = "CateLower";

    /// <summary>The name of the interval's upper bound column.</summary>
    public const string UpperColumn = "CateUpper";

    /// <summary>The name of the variance column: V̂(x), the estimated variance of τ̂(x) (models with <see cref="CateModel.HasVariance"/> only).</summary>
    public const string VarianceColumn = "CateVariance";

    internal CateTransformer(CateModel model, string featureColumnName, TreatmentKind treatmentKind, double level)
    {
        ArgumentNullException.ThrowIfNull(model);
        AverageEffect.Quantile(level); // validates the level
        Model = model;
        FeatureColumnName = featureColumnName;
        TreatmentKind = treatmentKind;
        Level = level;
    }

    /// <summary>The fitted model: effects, intervals, average effects and overlap diagnostics.</summary>
    public CateModel Model { get; }

    /// <summary>The feature vector column read.</summary>
    public string FeatureColumnName { get; }

    /// <summary>The treatment's kind, which sets the shape of the outputs.</summary>
    public TreatmentKind TreatmentKind { get; }

    /// <summary>The level of the intervals (default 0.95).</summary>
    public double Level { get; }

    /// <summary>The effect names: the non-control arms in arm order, or the dose column.</summary>
    public IReadOnlyList<string> EffectNames => Model.EffectNames;

    /// <summary>The same model with intervals at another <paramref name="level"/> (e.g. 0.9).</summary>
    public CateTransformer WithLevel(double level) => new(Model, FeatureColumnName, TreatmentKind, level);

    /// <summary>The same transformer over <see cref="CateModel.Compact"/> of its model: identical outputs, a smaller model file.</summary>
    public CateTransformer Compact() => new(Model.Compact(), FeatureColumnName, TreatmentKind, Level);

    /// <inheritdoc />
    public override string ComponentName => LoaderName;

    /// <inheritdoc />
    public override int ComponentVersion => Version;

    /// <summary>The columns a CATE transformer adds, for a model with <paramref name="effectNames"/> (empty: learned at fit time).</summary>
    internal static IEnumerable<ColumnDefinition> OutputColumns(TreatmentKind kind, IReadOnlyList<string> effectNames, bool intervals, bool variance)
    {
        var names = intervals ? new[] { CateColumn, LowerColumn, UpperColumn } : [CateColumn];
        if (variance)
            names = [.. names, VarianceColumn];
        return kind == TreatmentKind.MultiArm
            ? names.Select(n => new ColumnDefinition(n, ColumnType.Vector(effectNames.Count), effectNames))
            : names.Select(n => new ColumnDefinition(n, ColumnType.Double));
    }

    /// <inheritdoc />
    protected override RowFunction Bind(DataSchema inputSchema) =>
        new CateFunction(inputSchema, this, OutputColumns(TreatmentKind, Model.EffectNames, Model.HasIntervals, Model.HasVariance));

    /// <inheritdoc />
    public override void Save(IModelWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteString(FeatureColumnName);
        writer.WriteInt32((int)TreatmentKind);
        writer.WriteDouble(Level);
        writer.WriteModel(Model);
    }

    internal static CateTransformer Load(IModelReader reader)
    {
        var features = reader.ReadString();
        var kind = reader.ReadInt32();
        if (!Enum.IsDefined((TreatmentKind)kind))
            throw new ModelFileException($"The model file is corrupt: treatment kind {kind}.");
        var level = reader.ReadDouble();
        if (!(level > 0 && level < 1))
            throw new ModelFileException($"The model file is corrupt: interval level {level}.");
        return new CateTransformer(reader.ReadModel<CateModel>(), features, (TreatmentKind)kind, level);
    }

    private sealed class CateFunction : RowFunction
    {
        private readonly int _features;
        private readonly CateTransformer _owner;
        private readonly bool _intervals;
        private readonly bool _variance;
        private readonly bool _vectors;

        public CateFunction(DataSchema schema, CateTransformer owner, IEnumerable<ColumnDefinition> outputs)
            : base(schema, [Check(schema, owner).Index], outputs)
        {
            _features = schema[owner.FeatureColumnName].Index;
            _owner = owner;
            _intervals = owner.Model.HasIntervals;
            _variance = owner.Model.HasVariance;
            _vectors = owner.TreatmentKind == TreatmentKind.MultiArm;
        }

        private static DataSchema.Column Check(DataSchema schema, CateTransformer owner) =>
            LearnerColumns.Require(schema, nameof(CateTransformer), owner.FeatureColumnName,
                t => t.Kind == ColumnKind.Vector && t.Size == owner.Model.FeatureCount, $"Vector<Double, {owner.Model.FeatureCount}>");

        /// <inheritdoc />
        public override int BlockRows => _owner.Model.PredictionBlockRows;

        /// <summary>The block's feature vectors side by side, predicted together (the causal forest's tree-major walk); the same values as <see cref="Compute"/>.</summary>
        public override void ComputeBlock(ReadOnlySpan<CausalRow> inputs, ReadOnlySpan<CausalRow> added, int firstRowIndex)
        {
            var model = _owner.Model;
            var k = model.EffectCount;
            var n = inputs.Length;
            var p = model.FeatureCount;
            var buffer = ArrayPool<double>.Shared.Rent(n * p + 4 * n * k);
            try
            {
                var features = buffer.AsSpan(0, n * p);
                for (var i = 0; i < n; i++)
                    inputs[i].GetVector(_features).CopyTo(features.Slice(i * p, p));
                var values = buffer.AsSpan(n * p, 4 * n * k);
                var cate = values[..(n * k)];
                var lower = _intervals ? values.Slice(n * k, n * k) : default;
                var upper = _intervals ? values.Slice(2 * n * k, n * k) : default;
                var variance = _intervals && _variance ? values.Slice(3 * n * k, n * k) : default;
                model.PredictBlock(features, n, _owner.Level, cate, lower, upper, variance);
                var columns = (_intervals ? 3 : 1) + (_variance ? 1 : 0);
                for (var i = 0; i < n; i++)
                {
                    for (var c = 0; c < columns; c++)
                        Store(added[i], c, values.Slice(c * n * k + i * k, k));
                }
            }
            finally
            {
                ArrayPool<double>.Shared.Return(buffer);
            }
        }

        private void Store(CausalRow added, int column, ReadOnlySpan<double> part)
        {
            if (_vectors)
                part.CopyTo(added.GetVectorBuffer(column));
            else
                added.StoreNumber(column, part[0]);
        }

        public override void Compute(CausalRow input, CausalRow added, int rowIndex)
        {
            var model = _owner.Model;
            var k = model.EffectCount;
            var x = input.GetVector(_features);
            Span<double> values = stackalloc double[4 * k];
            if (_intervals)
                model.Predict(x, _owner.Level, values[..k], values.Slice(k, k), values.Slice(2 * k, k), _variance ? values.Slice(3 * k, k) : default);
            else
                model.PredictCate(x, values[..k]);
            var columns = (_intervals ? 3 : 1) + (_variance ? 1 : 0);
            for (var c = 0; c < columns; c++)
                Store(added, c, values.Slice(c * k, k));
        }
    }
}
