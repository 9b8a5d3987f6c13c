using System.Collections.Immutable;
using Microsoft.ML.Causal.Learners;
using Microsoft.ML.Causal.Persistence;

namespace Microsoft.ML.Causal.Trainers;

/// <summary>
/// S-learner: one outcome model μ̂(x, arm) on the features and the arm (indicators, or one numeric dose per arm);
/// τ̂ₐ(x) = μ̂(x, a) − μ̂(x, control).
/// </summary>
internal sealed class SLearnerModel : CateModel
{
    internal const string LoaderName = "CateSLearner";

    /// <summary>Version 2 adds the optional arm doses (version 1 files are arm indicators).</summary>
    internal const int Version = 2;
    private readonly IRegressionModel _outcome;
    private readonly int _arms;
    private readonly int _control;
    private readonly double[]? _doses;

    public SLearnerModel(CateModelHeader header, IRegressionModel outcome, int arms, int control, double[]? doses = null) : base(header)
    {
        _outcome = outcome;
        _arms = arms;
        _control = control;
        _doses = doses;
    }

    public override string ComponentName => LoaderName;

    public override int ComponentVersion => Version;

    /// <summary>
    /// The features followed by the arm: one indicator per non-control arm (all 0 for control) when <paramref name="doses"/>
    /// is null, else the single value <paramref name="doses"/>[arm].
    /// </summary>
    public static void Augment(ReadOnlySpan<double> x, int arm, int control, double[]? doses, Span<double> target)
    {
        x.CopyTo(target);
        var tail = target[x.Length..];
        if (doses is not null)
        {
            tail[0] = doses[arm];
            return;
        }
        tail.Clear();
        if (arm != control)
            tail[arm < control ? arm : arm - 1] = 1;
    }

    private protected override void PredictCore(ReadOnlySpan<double> features, Span<double> cate)
    {
        Span<double> z = stackalloc double[features.Length + (_doses is null ? _arms - 1 : 1)];
        Augment(features, _control, _control, _doses, z);
        var baseline = _outcome.Predict(z);
        for (var k = 0; k < _arms - 1; k++)
        {
            var arm = k < _control ? k : k + 1;
            Augment(features, arm, _control, _doses, z);
            cate[k] = _outcome.Predict(z) - baseline;
        }
    }

    private protected override void SaveCore(IModelWriter writer)
    {
        writer.WriteInt32(_arms);
        writer.WriteInt32(_control);
        writer.WriteModel(_outcome);
        writer.WriteDoubles(_doses ?? []);
    }

    internal static SLearnerModel Load(IModelReader reader)
    {
        var header = CateModelHeader.Load(reader);
        var arms = reader.ReadInt32();
        var control = reader.ReadInt32();
        if (arms != header.EffectNames.Length + 1 || (uint)control >= (uint)arms)
            throw new ModelFileException("The model file is corrupt: the S-learner's arms are out of range.");
        var outcome = reader.ReadModel<IRegressionModel>();
        double[]? doses = null;
        if (reader.Version >= 2)
        {
            doses = reader.ReadDoubles();
            if (doses.Length == 0)
                doses = null;
            else if (doses.Length != arms || doses.Any(d => !double.IsFinite(d)))
                throw new ModelFileException("The model file is corrupt: the S-learner's arm doses do not match its arms.");
        }
        return new SLearnerModel(header, outcome, arms, control, doses) { Replicates = LoadReplicates(reader) };
    }
}

/// <summary>T-learner: one outcome model per arm; τ̂ₐ(x) = μ̂ₐ(x) − μ̂_control(x).</summary>
internal sealed class TLearnerModel : CateModel
{
    internal const string LoaderName = "CateTLearner";
    internal const int Version = 1;
    private readonly ImmutableArray<IRegressionModel> _outcomes;
    private readonly int _control;

    public TLearnerModel(CateModelHeader header, ImmutableArray<IRegressionModel> outcomes, int control) : base(header)
    {
        _outcomes = outcomes;
        _control = control;
    }

    public override string ComponentName => LoaderName;

    public override int ComponentVersion => Version;

    private protected override void PredictCore(ReadOnlySpan<double> features, Span<double> cate)
    {
        var baseline = _outcomes[_control].Predict(features);
        for (var k = 0; k < _outcomes.Length - 1; k++)
            cate[k] = _outcomes[k < _control ? k : k + 1].Predict(features) - baseline;
    }

    private protected override void SaveCore(IModelWriter writer)
    {
        writer.WriteInt32(_control);
        writer.WriteInt32(_outcomes.Length);
        foreach (var m in _outcomes)
            writer.WriteModel(m);
    }

    internal static TLearnerModel Load(IModelReader reader)
    {
        var header = CateModelHeader.Load(reader);
        var control = reader.ReadInt32();
        var arms = reader.ReadInt32();
        if (arms != header.EffectNames.Length + 1 || (uint)control >= (uint)arms)
            throw new ModelFileException("The model file is corrupt: the T-learner's arms are out of range.");
        var outcomes = Enumerable.Range(0, arms).Select(_ => reader.ReadModel<IRegressionModel>()).ToImmutableArray();
        return new TLearnerModel(header, outcomes, control) { Replicates = LoadReplicates(reader) };
    }
}

/// <summary>
/// X-learner: per effect, τ̂ₐ(x) = g(x)·τ̂ₐ⁰(x) + (1 − g(x))·τ̂ₐ¹(x), where τ̂ₐ¹ is fitted on arm a's imputed
/// effects, τ̂ₐ⁰ on the controls', and g(x) = P(arm a | x, arm a or control), clipped (a model, or a constant when known).
/// </summary>
internal sealed class XLearnerModel : CateModel
{
    internal const string LoaderName = "CateXLearner";
    internal const int Version = 1;
    private readonly ImmutableArray<XEffect> _effects;
    private readonly double _clipLower;
    private readonly double _clipUpper;

    public XLearnerModel(CateModelHeader header, ImmutableArray<XEffect> effects, double clipLower, double clipUpper) : base(header)
    {
        _effects = effects;
        _clipLower = clipLower;
        _clipUpper = clipUpper;
    }

    public override string ComponentName => LoaderName;

    public override int ComponentVersion => Version;

    private protected override void PredictCore(ReadOnlySpan<double> features, Span<double> cate)
    {
        for (var k = 0; k < _effects.Length; k++)
        {
            var e = _effects[k];
            var g = Math.Clamp(e.Propensity?.PredictProbability(features) ?? e.KnownPropensity, _clipLower, _clipUpper);
            cate[k] = g * e.OnControls.Predict(features) + (1 - g) * e.OnTreated.Predict(features);
        }
    }

    private protected override void SaveCore(IModelWriter writer)
    {
        writer.WriteDouble(_clipLower);
        writer.WriteDouble(_clipUpper);
        writer.WriteInt32(_effects.Length);
        foreach (var e in _effects)
        {
            writer.WriteModel(e.OnTreated);
            writer.WriteModel(e.OnControls);
            writer.WriteBoolean(e.Propensity is not null);
            if (e.Propensity is not null)
                writer.WriteModel(e.Propensity);
            else
                writer.WriteDouble(e.KnownPropensity);
        }
    }

    internal static XLearnerModel Load(IModelReader reader)
    {
        var header = CateModelHeader.Load(reader);
        var lower = reader.ReadDouble();
        var upper = reader.ReadDouble();
        var count = reader.ReadInt32();
        if (count != header.EffectNames.Length)
            throw new ModelFileException("The model file is corrupt: the X-learner's effects do not match its header.");
        var effects = Enumerable.Range(0, count).Select(_ =>
        {
            var treated = reader.ReadModel<IRegressionModel>();
            var controls = reader.ReadModel<IRegressionModel>();
            return reader.ReadBoolean()
                ? new XEffect(treated, controls, reader.ReadModel<IProbabilityModel>(), 0)
                : new XEffect(treated, controls, null, reader.ReadDouble());
        }).ToImmutableArray();
        return new XLearnerModel(header, effects, lower, upper) { Replicates = LoadReplicates(reader) };
    }
}

/// <summary>The X-learner's models of one effect.</summary>
internal sealed record XEffect(IRegressionModel OnTreated, IRegressionModel OnControls, IProbabilityModel? Propensity, double KnownPropensity);

/// <summary>R- and DR-learner: one final-stage regression per effect, τ̂ₐ(x) = fₐ(x).</summary>
internal sealed class FinalStageModel : CateModel
{
    internal const string LoaderName = "CateFinalStage";
    internal const int Version = 1;
    private readonly ImmutableArray<IRegressionModel> _final;

    public FinalStageModel(CateModelHeader header, ImmutableArray<IRegressionModel> final) : base(header) => _final = final;

    public override string ComponentName => LoaderName;

    public override int ComponentVersion => Version;

    private protected override void PredictCore(ReadOnlySpan<double> features, Span<double> cate)
    {
        for (var k = 0; k < _final.Length; k++)
            cate[k] = _final[k].Predict(features);
    }

    private protected override void SaveCore(IModelWriter writer)
    {
        writer.WriteInt32(_final.Length);
        foreach (var m in _final)
            writer.WriteModel(m);
    }

    internal static FinalStageModel Load(IModelReader reader)
    {
        var header = CateModelHeader.Load(reader);
        var count = reader.ReadInt32();
        if (count != header.EffectNames.Length)
            throw new ModelFileException("The model file is corrupt: the final stage's effects do not match its header.");
        var final = Enumerable.Range(0, count).Select(_ => reader.ReadModel<IRegressionModel>()).ToImmutableArray();
        return new FinalStageModel(header, final) { Replicates = LoadReplicates(reader) };
    }
}
