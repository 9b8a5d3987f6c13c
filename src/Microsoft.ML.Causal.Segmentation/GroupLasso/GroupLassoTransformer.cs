using Microsoft.ML.Causal.Data;
using Microsoft.ML.Causal.Learners;
using Microsoft.ML.Causal.Persistence;

namespace Microsoft.ML.Causal.Segmentation.GroupLasso;

/// <summary>
/// A fitted group-lasso segmentation in a pipeline: reads the feature vector and adds <c>SegmentScores</c>
/// (Vector with one slot per segment, γⱼ₀ + γⱼᵀx, the segment names as slot names) and <c>Segment</c> (a Key over
/// the segment names: the segment with the largest score, the first on ties — the same as
/// <see cref="GroupLassoModel.AssignSegment"/>). A Key rather than Text, so that the segment is a category with a
/// fixed, ordered set of values that later steps (one-hot encoding, a policy) can read. Thread-safe; savable
/// (component <c>GroupLassoTransformer</c>).
/// </summary>
public sealed class GroupLassoTransformer : RowToRowTransformerBase
{
    internal const string LoaderName = "GroupLassoTransformer";
    internal const int Version = 1;

    /// <summary>The name of the assigned segment column.</summary>
    public const string SegmentColumn = "Segment";

    /// <summary>The name of the segment scores column.</summary>
    public const string ScoresColumn = "SegmentScores";

    internal GroupLassoTransformer(GroupLassoModel model, string featureColumnName, GroupLassoCrossValidation? crossValidation = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrEmpty(featureColumnName);
        Model = model;
        FeatureColumnName = featureColumnName;
        CrossValidation = crossValidation;
    }

    /// <summary>The fitted model: centres, creatives' response models, λ and α, convergence.</summary>
    public GroupLassoModel Model { get; }

    /// <summary>
    /// When the trainer chose (α, λ) by cross-validation, its curve and choice (held-out deviance at the selected point);
    /// null when λ was fixed. A fitting diagnostic: it is not saved, so a transformer loaded from a model file has none.
    /// </summary>
    public GroupLassoCrossValidation? CrossValidation { get; }

    /// <summary>The feature vector column read.</summary>
    public string FeatureColumnName { get; }

    /// <summary>The segment names, in segment order (the Key values of <c>Segment</c> and the slot names of <c>SegmentScores</c>).</summary>
    public IReadOnlyList<string> SegmentNames => [.. Model.Segments.Select(s => s.Name)];

    /// <inheritdoc />
    public override string ComponentName => LoaderName;

    /// <inheritdoc />
    public override int ComponentVersion => Version;

    /// <summary>The columns the transformer adds for <paramref name="segmentNames"/> (empty: learned at fit time).</summary>
    internal static IEnumerable<ColumnDefinition> OutputColumns(IReadOnlyList<string> segmentNames) =>
    [
        segmentNames.Count == 0 ? new ColumnDefinition(SegmentColumn, ColumnType.Key([])) : new ColumnDefinition(SegmentColumn, ColumnType.Key(segmentNames)),
        new ColumnDefinition(ScoresColumn, ColumnType.Vector(segmentNames.Count), segmentNames),
    ];

    /// <inheritdoc />
    protected override RowFunction Bind(DataSchema inputSchema) => new SegmentFunction(inputSchema, this);

    /// <inheritdoc />
    public override void Save(IModelWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteString(FeatureColumnName);
        writer.WriteModel(Model);
    }

    internal static GroupLassoTransformer Load(IModelReader reader)
    {
        var features = reader.ReadString();
        if (features.Length == 0)
            throw new ModelFileException("The model file is corrupt: the group-lasso transformer has no feature column name.");
        return new GroupLassoTransformer(reader.ReadModel<GroupLassoModel>(), features);
    }

    private sealed class SegmentFunction : RowFunction
    {
        private readonly int _features;
        private readonly GroupLassoModel _model;
        private readonly string _name;

        public SegmentFunction(DataSchema schema, GroupLassoTransformer owner)
            : base(schema, [Check(schema, owner).Index], OutputColumns(owner.SegmentNames))
        {
            _features = schema[owner.FeatureColumnName].Index;
            _model = owner.Model;
            _name = owner.FeatureColumnName;
        }

        private static DataSchema.Column Check(DataSchema schema, GroupLassoTransformer owner) =>
            LearnerColumns.Require(schema, nameof(GroupLassoTransformer), owner.FeatureColumnName,
                t => t.Kind == ColumnKind.Vector && t.Size == owner.Model.FeatureCount, $"Vector<Double, {owner.Model.FeatureCount}>");

        public override void Compute(CausalRow input, CausalRow added, int rowIndex)
        {
            var x = input.GetVector(_features);
            for (var l = 0; l < x.Length; l++)
            {
                if (!double.IsFinite(x[l]))
                {
                    throw new DataValidationException(nameof(GroupLassoTransformer), _name, rowIndex < 0 ? null : rowIndex,
                        $"feature '{_model.FeatureNames[l]}' is {x[l]}; the group-lasso model scores finite features only.",
                        "Replace missing values before scoring (ctx.Transforms.ReplaceMissingValues).");
                }
            }
            var scores = added.GetVectorBuffer(1);
            _model.SegmentScores(x, scores);
            var best = 0;
            for (var j = 1; j < scores.Length; j++)
            {
                if (scores[j] > scores[best])
                    best = j;
            }
            added.SetKey(0, best);
        }
    }
}
