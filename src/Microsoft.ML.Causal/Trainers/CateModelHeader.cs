using System.Collections.Immutable;
using Microsoft.ML.Causal.Inference;
using Microsoft.ML.Causal.Persistence;

namespace Microsoft.ML.Causal.Trainers;

/// <summary>What every CATE model carries besides its learners: method, features, effects, average effects, overlap.</summary>
internal sealed record CateModelHeader(string Method, int FeatureCount, ImmutableArray<string> EffectNames, string? ControlArm,
    ImmutableArray<AverageEffect> AverageEffects, OverlapDiagnostics? Overlap)
{
    public static CateModelHeader For(string method, CateData data) =>
        new(method, data.Features.ColumnCount, data.Treatment.EffectNames, data.Treatment.IsContinuous ? null : data.Treatment.ArmNames[data.Treatment.Control], [], null);

    public void Save(IModelWriter writer)
    {
        writer.WriteString(Method);
        writer.WriteInt32(FeatureCount);
        writer.WriteStrings(EffectNames);
        writer.WriteBoolean(ControlArm is not null);
        writer.WriteString(ControlArm ?? "");
        writer.WriteInt32(AverageEffects.Length);
        foreach (var e in AverageEffects)
        {
            writer.WriteString(e.Arm);
            writer.WriteInt32((int)e.Estimand);
            writer.WriteString(e.Method);
            writer.WriteDouble(e.Estimate);
            writer.WriteDouble(e.StandardError);
            writer.WriteInt32(e.Count);
        }
        writer.WriteBoolean(Overlap is not null);
        if (Overlap is { } o)
        {
            writer.WriteDoubles([o.MinPropensity, o.MaxPropensity, o.ShareClipped, o.ClipLower, o.ClipUpper]);
            writer.WriteBoolean(o.Known);
        }
    }

    public static CateModelHeader Load(IModelReader reader)
    {
        var method = reader.ReadString();
        var features = reader.ReadInt32();
        var effects = reader.ReadStrings().ToImmutableArray();
        var hasControl = reader.ReadBoolean();
        var control = reader.ReadString();
        var count = reader.ReadInt32();
        if (count < 0 || features < 0 || effects.Length == 0)
            throw new ModelFileException("The model file is corrupt: a CATE model header is out of range.");
        var averages = ImmutableArray.CreateBuilder<AverageEffect>(count);
        for (var i = 0; i < count; i++)
        {
            averages.Add(new AverageEffect(reader.ReadString(), (Estimand)reader.ReadInt32(), reader.ReadString(), reader.ReadDouble(), reader.ReadDouble(), reader.ReadInt32()));
        }
        OverlapDiagnostics? overlap = null;
        if (reader.ReadBoolean())
        {
            var v = reader.ReadDoubles();
            if (v.Length != 5)
                throw new ModelFileException("The model file is corrupt: overlap diagnostics have the wrong length.");
            overlap = new OverlapDiagnostics(v[0], v[1], v[2], v[3], v[4], reader.ReadBoolean());
        }
        return new CateModelHeader(method, features, effects, hasControl ? control : null, averages.MoveToImmutable(), overlap);
    }
}
