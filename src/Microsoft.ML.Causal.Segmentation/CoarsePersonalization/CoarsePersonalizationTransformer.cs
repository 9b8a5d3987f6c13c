using Microsoft.ML.Causal.Data;
using Microsoft.ML.Causal.Persistence;

namespace Microsoft.ML.Causal.Segmentation.CoarsePersonalization;

/// <summary>
/// A fitted coarse personalization in a pipeline: the K offered levels (and, when solved under share bounds, their dual prices
/// φ). For each row it reads the multi-arm <c>Cate</c> vector (and the baseline column when the profit formula needs one),
/// computes the row's profits πᵢ(t) with the <see cref="ProfitFormula"/>, and adds <c>AssignedLevel</c> (Text: the name of the
/// offered level maximizing πᵢ(s) − φ_s, the lower level on ties), <c>ExpectedProfit</c> (Double: πᵢ at that level) and
/// <c>Segment</c> (a Key over the offered levels' names, ascending: the index of the assigned one). Thread-safe; savable
/// (component <c>CoarsePersonalizationTransformer</c>).
/// </summary>
public sealed class CoarsePersonalizationTransformer : RowToRowTransformerBase
{
    internal const string LoaderName = "CoarsePersonalizationTransformer";
    internal const int Version = 1;

    /// <summary>The name of the assigned level column.</summary>
    public const string AssignedLevelColumn = "AssignedLevel";

    /// <summary>The name of the expected profit column.</summary>
    public const string ExpectedProfitColumn = "ExpectedProfit";

    /// <summary>The name of the segment column.</summary>
    public const string SegmentColumn = "Segment";

    private readonly string[] _levelNames;
    private readonly int[] _offered;
    private readonly double[] _prices;
    private readonly double[] _shares;
    private readonly double[] _depths;

    internal CoarsePersonalizationTransformer(string cateColumnName, string? baselineColumnName, ProfitFormula profit, IReadOnlyList<string> levelNames, CoarsePolicy policy)
        : this(cateColumnName, baselineColumnName, profit, [.. levelNames], [.. policy.Levels], [.. policy.Prices], [.. policy.Shares], policy.Profit / policy.RowCount)
    {
    }

    private CoarsePersonalizationTransformer(string cateColumnName, string? baselineColumnName, ProfitFormula profit, string[] levelNames, int[] offered,
        double[] prices, double[] shares, double trainingProfit)
    {
        CateColumnName = cateColumnName;
        BaselineColumnName = baselineColumnName;
        Profit = profit;
        _levelNames = levelNames;
        _offered = offered;
        _prices = prices;
        _shares = shares;
        TrainingProfitPerRow = trainingProfit;
        _depths = profit.Depths(levelNames, nameof(CoarsePersonalizationTransformer));
    }

    /// <summary>
    /// The transformer that offers the levels of <paramref name="policy"/> (with its dual prices, when it was solved under share
    /// bounds) — e.g. levels chosen on out-of-fold profits (<see cref="CateProfits.CrossFit(Microsoft.ML.Causal.Trainers.ICateLearner, ICausalDataView, Microsoft.ML.Causal.Trainers.CateColumns, ProfitFormula?, int, int, string?)"/>)
    /// rather than on a chain's in-sample predictions. Append it to the fitted CATE chain to score and save both as one model.
    /// </summary>
    /// <param name="profits">The matrix the policy was computed on: control first, then the CATE column's slots (as <see cref="CateProfits"/> builds it).</param>
    /// <param name="policy">The policy.</param>
    /// <param name="options">The CATE column, the profit formula and the baseline column used when scoring (default: <c>Cate</c>, π = τ̂); the solver options are not used.</param>
    /// <exception cref="ArgumentException">The policy was not computed on a matrix of these levels, or the options are invalid.</exception>
    public static CoarsePersonalizationTransformer FromPolicy(ProfitMatrix profits, CoarsePolicy policy, CoarsePersonalizationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(profits);
        ArgumentNullException.ThrowIfNull(policy);
        options ??= new CoarsePersonalizationOptions();
        CoarsePersonalizationTrainer.Validate(options);
        if (profits.LevelCount < 2 || policy.Levels.Count == 0 || policy.Levels[^1] >= profits.LevelCount
            || policy.Levels.Select((j, s) => profits.LevelNames[j] == policy.LevelNames[s]).Any(same => !same))
        {
            throw new ArgumentException($"CoarsePersonalizationTransformer.FromPolicy: the policy's levels ({string.Join(", ", policy.LevelNames)}) are not levels of the matrix " +
                $"({string.Join(", ", profits.LevelNames)}); pass the matrix the policy was computed on.", nameof(policy));
        }
        if (profits.LevelNames[0] != options.ControlLevel)
            throw new ArgumentException($"CoarsePersonalizationTransformer.FromPolicy: the matrix's first level is '{profits.LevelNames[0]}', but the control level is '{options.ControlLevel}'; build the matrix with CateProfits (control first) or set ControlLevel.", nameof(profits));
        return new CoarsePersonalizationTransformer(options.CateColumnName, options.BaselineColumnName, options.Profit, profits.LevelNames, policy);
    }

    /// <summary>The multi-arm CATE column read.</summary>
    public string CateColumnName { get; }

    /// <summary>The baseline column read (null when the profit formula needs none).</summary>
    public string? BaselineColumnName { get; }

    /// <summary>The profit formula.</summary>
    public ProfitFormula Profit { get; }

    /// <summary>Every level, control first, then the CATE column's slots.</summary>
    public IReadOnlyList<string> AllLevels => _levelNames;

    /// <summary>The offered levels' names, in level order (the Key values of <c>Segment</c>).</summary>
    public IReadOnlyList<string> OfferedLevels => [.. _offered.Select(j => _levelNames[j])];

    /// <summary>The share of the training rows assigned to each offered level.</summary>
    public IReadOnlyList<double> TrainingShares => _shares;

    /// <summary>The dual prices φ of the offered levels when share bounds were imposed; empty otherwise.</summary>
    public IReadOnlyList<double> Prices => _prices;

    /// <summary>The mean profit per training row of the solution, on the profits it was fitted on.</summary>
    public double TrainingProfitPerRow { get; }

    /// <inheritdoc />
    public override string ComponentName => LoaderName;

    /// <inheritdoc />
    public override int ComponentVersion => Version;

    internal static IEnumerable<ColumnDefinition> OutputColumns(IReadOnlyList<string> offered) =>
    [
        new ColumnDefinition(AssignedLevelColumn, ColumnType.Text),
        new ColumnDefinition(ExpectedProfitColumn, ColumnType.Double),
        new ColumnDefinition(SegmentColumn, ColumnType.Key(offered)),
    ];

    /// <summary>Checks the CATE column (a vector with one slot per non-control level) and returns its slot names (the effects; empty for a <paramref name="promise"/>d vector of unknown size).</summary>
    internal static IReadOnlyList<string> CheckCate(DataSchema schema, string component, string name, IReadOnlyList<string>? effects, bool promise = false)
    {
        var expected = effects is null ? "Vector<Double> with one slot per non-control level (a multi-arm CATE transformer's Cate)" : $"Vector<Double, {effects.Count}> with slots {string.Join(", ", effects)}";
        if (!schema.TryGetColumn(name, out var column))
            throw SchemaMismatchException.Missing(component, name, expected, schema);
        // While a pipeline propagates schemas, a CATE trainer promises a vector whose size and slots are learned at fit time.
        if (promise && column.Type.Kind == ColumnKind.Vector && !column.Type.IsKnown)
            return [];
        if (column.Type.Kind != ColumnKind.Vector || column.Type.Size < 1 || column.SlotNames.Length != column.Type.Size)
        {
            throw new SchemaMismatchException(component, name, expected, column.Type.ToString(),
                "Place the step after a multi-arm CATE trainer (CateColumns with TreatmentKind.MultiArm), whose Cate column names its arms.");
        }
        if (effects is not null && !column.SlotNames.SequenceEqual(effects, StringComparer.Ordinal))
            throw new SchemaMismatchException(component, name, expected, $"{column.Type} with slots {string.Join(", ", column.SlotNames)}");
        return column.SlotNames;
    }

    /// <summary>Checks the baseline column when the formula needs it.</summary>
    internal static void CheckBaseline(DataSchema schema, string component, ProfitFormula profit, string? name)
    {
        if (!profit.DiscountsOutcome)
            return;
        if (!schema.TryGetColumn(name!, out var column))
            throw SchemaMismatchException.Missing(component, name!, "a numeric scalar (the expected outcome at control)", schema);
        if (!column.Type.IsNumericScalar)
            throw new SchemaMismatchException(component, name!, "a numeric scalar (the expected outcome at control)", column.Type.ToString());
    }

    /// <summary>Throws a <see cref="DataValidationException"/> naming the column, row and slot of the first non-finite value.</summary>
    internal static void CheckFinite(ReadOnlySpan<double> values, string column, int row, IReadOnlyList<string>? slots, string component = nameof(CoarsePersonalizationTransformer))
    {
        for (var k = 0; k < values.Length; k++)
        {
            if (!double.IsFinite(values[k]))
            {
                var what = slots is null ? "the value" : $"the effect of level '{slots[k]}'";
                throw new DataValidationException(component, column, row < 0 ? null : row,
                    $"{what} is {values[k]}; profits need finite values.", "Score finite features with the CATE model (replace missing values first), or drop the row.");
            }
        }
    }

    /// <inheritdoc />
    protected override RowFunction Bind(DataSchema inputSchema) => new AssignFunction(inputSchema, this);

    /// <inheritdoc />
    public override void Save(IModelWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteString(CateColumnName);
        writer.WriteString(BaselineColumnName ?? "");
        writer.WriteDouble(Profit.Margin);
        writer.WriteDouble(Profit.PromotionCost);
        writer.WriteBoolean(Profit.DiscountsOutcome);
        writer.WriteDouble(Profit.DepthScale);
        writer.WriteStrings(_levelNames);
        writer.WriteInt32s(_offered);
        writer.WriteDoubles(_prices);
        writer.WriteDoubles(_shares);
        writer.WriteDouble(TrainingProfitPerRow);
    }

    internal static CoarsePersonalizationTransformer Load(IModelReader reader)
    {
        var cate = reader.ReadString();
        var baseline = reader.ReadString();
        var profit = new ProfitFormula { Margin = reader.ReadDouble(), PromotionCost = reader.ReadDouble(), DiscountsOutcome = reader.ReadBoolean(), DepthScale = reader.ReadDouble() };
        var levels = reader.ReadStrings();
        var offered = reader.ReadInt32s();
        var prices = reader.ReadDoubles();
        var shares = reader.ReadDoubles();
        var trainingProfit = reader.ReadDouble();
        var corrupt = cate.Length == 0 || levels.Length < 2 || offered.Length < 1 || offered.Length > levels.Length || shares.Length != offered.Length
            || (prices.Length != 0 && prices.Length != offered.Length) || (profit.DiscountsOutcome && baseline.Length == 0)
            || offered.Where((j, s) => j < 0 || j >= levels.Length || (s > 0 && j <= offered[s - 1])).Any();
        if (corrupt)
            throw new ModelFileException("The model file is corrupt: the coarse personalization transformer's levels, columns or prices do not fit together.");
        try
        {
            profit.Validate(LoaderName);
            return new CoarsePersonalizationTransformer(cate, baseline.Length == 0 ? null : baseline, profit, levels, offered, prices, shares, trainingProfit);
        }
        catch (ArgumentException e)
        {
            throw new ModelFileException($"The model file is corrupt: {e.Message}");
        }
    }

    private sealed class AssignFunction : RowFunction
    {
        private readonly CoarsePersonalizationTransformer _owner;
        private readonly int _cate;
        private readonly int _baseline;
        private readonly IReadOnlyList<string> _effects;

        public AssignFunction(DataSchema schema, CoarsePersonalizationTransformer owner)
            : base(schema, Inputs(schema, owner), OutputColumns(owner.OfferedLevels))
        {
            _owner = owner;
            _cate = schema[owner.CateColumnName].Index;
            _baseline = owner.Profit.DiscountsOutcome ? schema[owner.BaselineColumnName!].Index : -1;
            _effects = owner._levelNames[1..];
        }

        private static int[] Inputs(DataSchema schema, CoarsePersonalizationTransformer owner)
        {
            CheckCate(schema, nameof(CoarsePersonalizationTransformer), owner.CateColumnName, owner._levelNames[1..]);
            CheckBaseline(schema, nameof(CoarsePersonalizationTransformer), owner.Profit, owner.BaselineColumnName);
            return owner.Profit.DiscountsOutcome ? [schema[owner.CateColumnName].Index, schema[owner.BaselineColumnName!].Index] : [schema[owner.CateColumnName].Index];
        }

        public override void Compute(CausalRow input, CausalRow added, int rowIndex)
        {
            var owner = _owner;
            var cate = input.GetVector(_cate);
            CheckFinite(cate, owner.CateColumnName, rowIndex, _effects);
            var baseline = 0.0;
            if (_baseline >= 0)
            {
                baseline = input.GetNumber(_baseline);
                CheckFinite([baseline], owner.BaselineColumnName!, rowIndex, null);
            }
            Span<double> row = stackalloc double[owner._levelNames.Length];
            CateProfits.FillRow(owner.Profit, owner._depths, cate, baseline, row, rowIndex, owner._levelNames, nameof(CoarsePersonalizationTransformer));
            var segment = CoarsePolicy.BestOffered(row, owner._offered, owner._prices);
            var level = owner._offered[segment];
            added.SetText(0, owner._levelNames[level]);
            added.SetDouble(1, row[level]);
            added.SetKey(2, segment);
        }
    }
}
