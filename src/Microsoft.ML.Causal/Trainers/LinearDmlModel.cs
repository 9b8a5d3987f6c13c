using Microsoft.ML.Causal.Persistence;

namespace Microsoft.ML.Causal.Trainers;

/// <summary>θₖ(x) = φ(x)ᵀβₖ with φ(x) = (1, x); SE from the final stage's covariance.</summary>
internal sealed class LinearDmlModel : CateModel
{
    internal const string LoaderName = "CateLinearDml";
    internal const int Version = 1;
    private readonly int _p;
    private readonly double[] _beta;
    private readonly double[] _covariance;

    public LinearDmlModel(CateModelHeader header, int p, double[] beta, double[] covariance) : base(header)
    {
        _p = p;
        _beta = beta;
        _covariance = covariance;
    }

    public override string ComponentName => LoaderName;

    public override int ComponentVersion => Version;

    public override bool HasAnalyticIntervals => true;

    /// <summary>φ(x)ᵀβₖ.</summary>
    public double Effect(ReadOnlySpan<double> x, int k)
    {
        var offset = k * (_p + 1);
        var s = _beta[offset];
        for (var f = 0; f < _p; f++)
            s += _beta[offset + 1 + f] * x[f];
        return s;
    }

    /// <summary>√(φ(x)ᵀ Σₖₖ φ(x)).</summary>
    public double StandardError(ReadOnlySpan<double> x, int k)
    {
        var width = _beta.Length;
        var offset = k * (_p + 1);
        double v = 0;
        for (var a = 0; a <= _p; a++)
        {
            var pa = a == 0 ? 1 : x[a - 1];
            for (var b = 0; b <= _p; b++)
            {
                var pb = b == 0 ? 1 : x[b - 1];
                v += pa * pb * _covariance[(offset + a) * width + offset + b];
            }
        }
        return Math.Sqrt(Math.Max(v, 0));
    }

    private protected override void PredictCore(ReadOnlySpan<double> features, Span<double> cate)
    {
        for (var k = 0; k < EffectCount; k++)
            cate[k] = Effect(features, k);
    }

    private protected override void StandardErrorCore(ReadOnlySpan<double> features, Span<double> se)
    {
        for (var k = 0; k < EffectCount; k++)
            se[k] = StandardError(features, k);
    }

    private protected override void SaveCore(IModelWriter writer)
    {
        writer.WriteInt32(_p);
        writer.WriteDoubles(_beta);
        writer.WriteDoubles(_covariance);
    }

    internal static LinearDmlModel Load(IModelReader reader)
    {
        var header = CateModelHeader.Load(reader);
        var p = reader.ReadInt32();
        var beta = reader.ReadDoubles();
        var covariance = reader.ReadDoubles();
        if (p != header.FeatureCount || beta.Length != header.EffectNames.Length * (p + 1) || covariance.Length != beta.Length * beta.Length)
            throw new ModelFileException("The model file is corrupt: the linear DML coefficients do not match the header.");
        return new LinearDmlModel(header, p, beta, covariance) { Replicates = LoadReplicates(reader) };
    }
}
