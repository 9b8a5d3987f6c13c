using System.Numerics.Tensors;

namespace Microsoft.ML.Causal.Segmentation.GroupLasso;

/// <summary>
/// The rows one fit uses (all rows, or a cross-validation fold's training rows), without copying the features:
/// the weighted standardization of each feature over those rows, the total weight that normalizes the loss, and
/// per segment the row index lists grouped by creative (<see cref="SegmentRows"/>). Features are standardized
/// implicitly, x̃ₗ = (xₗ − mₗ)/sₗ, by folding mₗ and sₗ into the coefficients; a feature constant over the rows
/// (of positive weight) gets sₗ = 0, is left out, and keeps coefficient 0.
/// </summary>
internal sealed class GroupLassoDesign
{
    private GroupLassoDesign(MultiCreativeData data, double[] mean, double[] inverseScale, double[] scale, SegmentRows[] segments, double weightTotal)
    {
        Data = data;
        Mean = mean;
        InverseScale = inverseScale;
        Scale = scale;
        Segments = segments;
        WeightTotal = weightTotal;
    }

    public MultiCreativeData Data { get; }

    /// <summary>mₗ, the weighted mean of each feature.</summary>
    public double[] Mean { get; }

    /// <summary>1/sₗ, or 0 for a left-out (constant) feature.</summary>
    public double[] InverseScale { get; }

    /// <summary>sₗ, the weighted standard deviation (divisor Σw), 0 for a left-out feature.</summary>
    public double[] Scale { get; }

    public SegmentRows[] Segments { get; }

    /// <summary>Σw over the rows used.</summary>
    public double WeightTotal { get; }

    /// <summary>The design over the rows where <paramref name="use"/> is true (null: every row).</summary>
    /// <exception cref="DataValidationException">Every weight of the rows used is 0.</exception>
    public static GroupLassoDesign Build(MultiCreativeData data, Func<int, bool>? use = null)
    {
        var n = data.RowCount;
        var p = data.FeatureCount;
        var x = data.Features.Span;
        var cr = data.Creatives.Span;
        double total = 0;
        var sum = new double[p];
        var min = new double[p];
        var max = new double[p];
        Array.Fill(min, double.PositiveInfinity);
        Array.Fill(max, double.NegativeInfinity);
        var counts = new int[data.CreativeCount];
        for (var i = 0; i < n; i++)
        {
            if (use is not null && !use(i))
                continue;
            var w = data.WeightAt(i);
            if (w <= 0)
                continue;
            counts[cr[i]]++;
            total += w;
            var row = x.Slice(i * p, p);
            TensorPrimitives.MultiplyAdd(row, w, sum, sum);
            TensorPrimitives.Min(row, min, min);
            TensorPrimitives.Max(row, max, max);
        }
        if (!(total > 0))
            throw new DataValidationException("GroupLasso", data.Names.Weight, null, "every weight of the rows fitted on (or of a cross-validation fold's training rows) is 0.", "Give more rows a positive weight.");
        var mean = new double[p];
        TensorPrimitives.Divide(sum, total, mean);
        var ss = new double[p];
        var centred = new double[p];
        for (var i = 0; i < n; i++)
        {
            if (use is not null && !use(i))
                continue;
            var w = data.WeightAt(i);
            if (w <= 0)
                continue;
            TensorPrimitives.Subtract(x.Slice(i * p, p), mean, centred);
            TensorPrimitives.Multiply(centred, centred, centred);
            TensorPrimitives.MultiplyAdd(centred, w, ss, ss);
        }
        var scale = new double[p];
        var inverse = new double[p];
        for (var l = 0; l < p; l++)
        {
            if (min[l] == max[l] || !(ss[l] > 0))
            {
                mean[l] = 0;
                continue;
            }
            scale[l] = Math.Sqrt(ss[l] / total);
            inverse[l] = 1 / scale[l];
        }
        return new GroupLassoDesign(data, mean, inverse, scale, SegmentRows.Build(data, counts, use, total), total);
    }

    /// <summary>
    /// The original-scale intercept and slopes of standardized coefficients <paramref name="standardized"/>
    /// (intercept first, then one per feature): βₗ = β̃ₗ/sₗ, β₀ = β̃₀ − Σ mₗβₗ.
    /// </summary>
    public (double Intercept, double[] Slopes) ToOriginal(ReadOnlySpan<double> standardized)
    {
        var p = Mean.Length;
        var slopes = new double[p];
        TensorPrimitives.Multiply(standardized.Slice(1, p), InverseScale, slopes);
        return (standardized[0] - TensorPrimitives.Dot(Mean, slopes), slopes);
    }
}
