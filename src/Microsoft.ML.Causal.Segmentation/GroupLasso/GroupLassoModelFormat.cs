using Microsoft.ML.Causal.Persistence;

namespace Microsoft.ML.Causal.Segmentation.GroupLasso;

/// <summary>
/// The payload of a <see cref="GroupLassoModel"/> (version 1): λ, α, p, the feature names, the convergence
/// summary, then each segment (name, intercept, slopes, creatives, support) and each creative (name, segment,
/// intercept, slopes, fused, deviation). Doubles are written with their exact bits.
/// </summary>
internal static class GroupLassoModelFormat
{
    public static void Write(GroupLassoModel model, IModelWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteDouble(model.Lambda);
        writer.WriteDouble(model.Alpha);
        writer.WriteInt32(model.FeatureCount);
        writer.WriteStrings(model.FeatureNames);
        writer.WriteDouble(model.Objective);
        writer.WriteDouble(model.KktResidual);
        writer.WriteBoolean(model.Converged);
        writer.WriteInt32(model.Iterations);
        writer.WriteInt32(model.Segments.Count);
        foreach (var s in model.Segments)
        {
            writer.WriteString(s.Name);
            writer.WriteDouble(s.Intercept);
            writer.WriteDoubles([.. s.Coefficients]);
            writer.WriteInt32s([.. s.Creatives]);
            writer.WriteInt32(s.Support);
        }
        writer.WriteInt32(model.Creatives.Count);
        foreach (var c in model.Creatives)
        {
            writer.WriteString(c.Name);
            writer.WriteInt32(c.Segment);
            writer.WriteDouble(c.Intercept);
            writer.WriteDoubles([.. c.Coefficients]);
            writer.WriteBoolean(c.Fused);
            writer.WriteDouble(c.Deviation);
        }
    }

    public static GroupLassoModel Read(IModelReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var lambda = reader.ReadDouble();
        var alpha = reader.ReadDouble();
        var p = reader.ReadInt32();
        var featureNames = reader.ReadStrings();
        if (p < 0 || featureNames.Length != p || !(lambda >= 0) || !(alpha >= 0 && alpha <= 1))
            throw Corrupt($"λ = {lambda}, α = {alpha}, {p} features with {featureNames.Length} names");
        var objective = reader.ReadDouble();
        var kkt = reader.ReadDouble();
        var converged = reader.ReadBoolean();
        var iterations = reader.ReadInt32();
        var m = reader.ReadInt32();
        if (m < 1 || m > 1 << 20)
            throw Corrupt($"{m} segments");
        var segments = new SegmentCentre[m];
        for (var j = 0; j < m; j++)
        {
            var name = reader.ReadString();
            var intercept = reader.ReadDouble();
            var slopes = Slopes(reader, p, $"segment {j}");
            var list = reader.ReadInt32s();
            var support = reader.ReadInt32();
            segments[j] = new SegmentCentre(j, name, intercept, slopes, list, support);
        }
        var count = reader.ReadInt32();
        if (count < m || count > 1 << 24)
            throw Corrupt($"{count} creatives for {m} segments");
        var creatives = new CreativeResponse[count];
        for (var k = 0; k < count; k++)
        {
            var name = reader.ReadString();
            var segment = reader.ReadInt32();
            if (segment < 0 || segment >= m)
                throw Corrupt($"creative {k} in segment {segment}");
            var intercept = reader.ReadDouble();
            var slopes = Slopes(reader, p, $"creative {k}");
            creatives[k] = new CreativeResponse(k, name, segment, intercept, slopes, reader.ReadBoolean(), reader.ReadDouble());
        }
        foreach (var s in segments)
        {
            foreach (var k in s.Creatives)
            {
                if (k < 0 || k >= count || creatives[k].Segment != s.Index)
                    throw Corrupt($"segment {s.Index} lists creative {k}");
            }
        }
        return new GroupLassoModel(lambda, alpha, p, featureNames, segments, creatives, objective, kkt, converged, iterations);
    }

    private static double[] Slopes(IModelReader reader, int p, string owner)
    {
        var slopes = reader.ReadDoubles();
        return slopes.Length == p ? slopes : throw Corrupt($"{owner} has {slopes.Length} slopes for {p} features");
    }

    private static ModelFileException Corrupt(string what) => new($"The model file is corrupt: the group-lasso model has {what}.");
}
