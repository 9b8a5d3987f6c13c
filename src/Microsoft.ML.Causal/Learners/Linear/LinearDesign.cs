namespace Microsoft.ML.Causal.Learners.Linear;

/// <summary>
/// The rows a linear learner fits on, standardized. With an intercept each feature column is centered on its
/// weighted mean and divided by its weighted standard deviation (divisor Σw); without one it is only divided by
/// its weighted root mean square. Columns that are constant over the rows with positive weight (all zero without
/// an intercept) cannot be estimated: they are left out (<see cref="Scale"/> 0) and get coefficient 0.
/// Columns are stored column-major for coordinate descent.
/// </summary>
internal sealed class LinearDesign
{
    private LinearDesign(int n, int p)
    {
        N = n;
        P = p;
        X = new double[(long)n * p];
        Y = new double[n];
        W = new double[n];
        Rows = new int[n];
        Mean = new double[p];
        Scale = new double[p];
    }

    /// <summary>Rows fitted on.</summary>
    public int N { get; }

    /// <summary>Feature columns (including left-out ones).</summary>
    public int P { get; }

    /// <summary>Standardized features, column-major: column j is <c>X[j·N … j·N + N)</c>.</summary>
    public double[] X { get; }

    /// <summary>The labels (not centered).</summary>
    public double[] Y { get; }

    /// <summary>Weights normalized to sum to 1.</summary>
    public double[] W { get; }

    /// <summary>The original weights' sum.</summary>
    public double WeightSum { get; private set; }

    /// <summary>Rows with a positive weight.</summary>
    public int PositiveRows { get; private set; }

    /// <summary>The TrainingSet row of each fitted row.</summary>
    public int[] Rows { get; }

    /// <summary>Per column: the weighted mean subtracted (0 without intercept).</summary>
    public double[] Mean { get; }

    /// <summary>Per column: the divisor; 0 marks a left-out (constant) column.</summary>
    public double[] Scale { get; }

    /// <summary>Weighted mean of the labels (0 without intercept).</summary>
    public double YMean { get; private set; }

    /// <summary>Whether an intercept is fitted.</summary>
    public bool Intercept { get; private set; }

    /// <summary>The indices of the columns kept (Scale &gt; 0).</summary>
    public int[] Kept { get; private set; } = [];

    /// <summary>Column <paramref name="j"/> of the standardized features.</summary>
    public Span<double> Column(int j) => X.AsSpan(j * N, N);

    /// <summary>Reads, checks for non-finite features, and standardizes the fitted rows of <paramref name="data"/>.</summary>
    /// <exception cref="DataValidationException">A feature is NaN or infinite; the message names column and row.</exception>
    public static LinearDesign Build(TrainingSet data, bool intercept, string learner)
    {
        var n = data.Count;
        var p = data.Features.ColumnCount;
        var d = new LinearDesign(n, p) { Intercept = intercept };
        var labels = data.Labels.Span;
        double sum = 0;
        var positive = 0;
        for (var i = 0; i < n; i++)
        {
            var r = data.RowAt(i);
            d.Rows[i] = r;
            d.Y[i] = labels[r];
            var w = data.WeightOf(r);
            d.W[i] = w;
            sum += w;
            if (w > 0)
                positive++;
            var row = data.Features.Row(r);
            for (var j = 0; j < p; j++)
            {
                if (!double.IsFinite(row[j]))
                {
                    throw DataValidationException.NotFinite(learner, data.Features.ColumnNames[j], r, row[j],
                        "Linear models need finite features: add a ReplaceMissing step (ctx.Transforms.ReplaceMissingValues) or use a tree learner.");
                }
                d.X[(long)j * n + i] = row[j];
            }
        }
        if (!(sum > 0))
            throw new DataValidationException(learner, data.WeightColumnName, null, "every weight of the rows fitted on (or of a cross-validation fold's training rows) is 0.", "Give more rows a positive weight.");
        d.WeightSum = sum;
        d.PositiveRows = positive;
        for (var i = 0; i < n; i++)
            d.W[i] /= sum;

        double yMean = 0;
        if (intercept)
        {
            for (var i = 0; i < n; i++)
                yMean += d.W[i] * d.Y[i];
        }
        d.YMean = yMean;

        var kept = new List<int>(p);
        for (var j = 0; j < p; j++)
        {
            var col = d.Column(j);
            if (IsConstant(col, d.W, intercept))
            {
                col.Clear();
                continue;
            }
            double mean = 0;
            if (intercept)
            {
                for (var i = 0; i < n; i++)
                    mean += d.W[i] * col[i];
            }
            double ss = 0;
            for (var i = 0; i < n; i++)
            {
                var c = col[i] - mean;
                ss += d.W[i] * c * c;
            }
            var scale = Math.Sqrt(ss);
            for (var i = 0; i < n; i++)
                col[i] = (col[i] - mean) / scale;
            d.Mean[j] = mean;
            d.Scale[j] = scale;
            kept.Add(j);
        }
        d.Kept = [.. kept];
        return d;
    }

    /// <summary>Constant over the rows with positive weight (with an intercept), or all zero there (without).</summary>
    private static bool IsConstant(ReadOnlySpan<double> column, ReadOnlySpan<double> w, bool intercept)
    {
        double? first = intercept ? null : 0.0;
        for (var i = 0; i < column.Length; i++)
        {
            if (w[i] <= 0)
                continue;
            first ??= column[i];
            if (column[i] != first)
                return false;
        }
        return true;
    }

    /// <summary>
    /// Original-scale (intercept, coefficients) from standardized coefficients <paramref name="standardized"/>
    /// (one per column; left-out columns ignored) and the intercept <paramref name="standardizedIntercept"/> on the
    /// standardized scale: β_j = β̃_j / s_j, b0 = b̃0 − Σ β_j m_j (0 without an intercept).
    /// </summary>
    public (double Intercept, double[] Coefficients) ToOriginal(ReadOnlySpan<double> standardized, double standardizedIntercept)
    {
        var beta = new double[P];
        var b0 = standardizedIntercept;
        for (var j = 0; j < P; j++)
        {
            if (Scale[j] == 0)
                continue;
            beta[j] = standardized[j] / Scale[j];
            b0 -= beta[j] * Mean[j];
        }
        return (Intercept ? b0 : 0, beta);
    }
}
