namespace Microsoft.ML.Causal.Segmentation.GroupLasso;

/// <summary>
/// One segment's rows of positive weight, grouped by creative (in increasing row order within a creative):
/// creative k of the segment owns positions <c>Start[k] … Start[k+1]</c> of <see cref="Rows"/>, <see cref="Y"/> and
/// <see cref="W"/>. Weights are divided by the total weight of all segments' rows, so the segments' losses add up
/// to the normalized loss.
/// </summary>
internal sealed class SegmentRows
{
    private SegmentRows(int[] creatives, int[] start, int[] rows, double[] y, double[] w)
    {
        Creatives = creatives;
        Start = start;
        Rows = rows;
        Y = y;
        W = w;
    }

    /// <summary>The segment's creatives (global indices), in increasing order; nⱼ = its length.</summary>
    public int[] Creatives { get; }

    public int[] Start { get; }

    public int[] Rows { get; }

    public double[] Y { get; }

    public double[] W { get; }

    public int CreativeCount => Creatives.Length;

    public int RowCount => Rows.Length;

    /// <summary>Σ W, the segment's share of the total weight.</summary>
    public double WeightShare()
    {
        double s = 0;
        foreach (var w in W)
            s += w;
        return s;
    }

    /// <summary>Groups the rows used (positive weight, <paramref name="use"/> true) by segment and creative.</summary>
    public static SegmentRows[] Build(MultiCreativeData data, int[] countsPerCreative, Func<int, bool>? use, double weightTotal)
    {
        var m = data.SegmentCount;
        var creatives = new List<int>[m];
        for (var j = 0; j < m; j++)
            creatives[j] = [];
        for (var c = 0; c < data.CreativeCount; c++)
            creatives[data.SegmentOf(c)].Add(c);
        var segments = new SegmentRows[m];
        var local = new int[data.CreativeCount];   // position of the next row of each creative within its segment
        for (var j = 0; j < m; j++)
        {
            var list = creatives[j];
            var start = new int[list.Count + 1];
            for (var k = 0; k < list.Count; k++)
            {
                start[k + 1] = start[k] + countsPerCreative[list[k]];
                local[list[k]] = start[k];
            }
            var size = start[list.Count];
            segments[j] = new SegmentRows([.. list], start, new int[size], new double[size], new double[size]);
        }
        var cr = data.Creatives.Span;
        var y = data.Responses.Span;
        for (var i = 0; i < data.RowCount; i++)
        {
            if (use is not null && !use(i))
                continue;
            var w = data.WeightAt(i);
            if (w <= 0)
                continue;
            var c = cr[i];
            var s = segments[data.SegmentOf(c)];
            var at = local[c]++;
            s.Rows[at] = i;
            s.Y[at] = y[i];
            s.W[at] = w / weightTotal;
        }
        return segments;
    }
}
