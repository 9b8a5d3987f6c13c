using Microsoft.ML.Causal.Transforms;

namespace Microsoft.ML.Causal;

/// <summary>Featurization transforms: <c>ctx.Transforms</c>. Every transform here is savable.</summary>
public sealed class CausalTransformsCatalog
{
    internal CausalTransformsCatalog(CausalContext context) => Context = context;

    /// <summary>The context this catalog belongs to.</summary>
    public CausalContext Context { get; }

    /// <summary>Concatenates numeric scalar and vector columns into one Vector&lt;Double&gt; (see <see cref="ConcatenateEstimator"/>).</summary>
    /// <param name="outputColumnName">The vector column to create.</param>
    /// <param name="inputColumnNames">The columns, in order.</param>
    public ConcatenateEstimator Concatenate(string outputColumnName, params string[] inputColumnNames) =>
        new(outputColumnName, inputColumnNames);

    /// <summary>One-hot encodes a Text or Key column (see <see cref="OneHotEstimator"/>).</summary>
    /// <param name="outputColumnName">The vector column to create.</param>
    /// <param name="inputColumnName">The column to encode; default the output name (replaced in place).</param>
    /// <param name="unseenCategory">What an unseen category does at scoring (default all zeros).</param>
    public OneHotEstimator OneHotEncoding(string outputColumnName, string? inputColumnName = null, UnseenCategoryHandling unseenCategory = UnseenCategoryHandling.AllZero) =>
        new(new OneHotOptions { Columns = [new ColumnPair(outputColumnName, inputColumnName)], UnseenCategory = unseenCategory });

    /// <summary>One-hot encodes several columns (see <see cref="OneHotEstimator"/>).</summary>
    public OneHotEstimator OneHotEncoding(OneHotOptions options) => new(options);

    /// <summary>Scales to zero mean and unit variance: (x − mean) / sd per slot (see <see cref="NormalizeEstimator"/>).</summary>
    /// <param name="outputColumnName">The column to create.</param>
    /// <param name="inputColumnName">The numeric column to read; default the output name.</param>
    public NormalizeEstimator NormalizeMeanVariance(string outputColumnName, string? inputColumnName = null) =>
        new(new NormalizeOptions { Columns = [new ColumnPair(outputColumnName, inputColumnName)], Mode = NormalizeMode.MeanVariance });

    /// <summary>Scales to [0, 1] over the fitted range: (x − min) / (max − min) per slot (see <see cref="NormalizeEstimator"/>).</summary>
    /// <param name="outputColumnName">The column to create.</param>
    /// <param name="inputColumnName">The numeric column to read; default the output name.</param>
    public NormalizeEstimator NormalizeMinMax(string outputColumnName, string? inputColumnName = null) =>
        new(new NormalizeOptions { Columns = [new ColumnPair(outputColumnName, inputColumnName)], Mode = NormalizeMode.MinMax });

    /// <summary>Normalizes several columns (see <see cref="NormalizeEstimator"/>).</summary>
    public NormalizeEstimator Normalize(NormalizeOptions options) => new(options);

    /// <summary>Replaces missing values (see <see cref="ReplaceMissingEstimator"/>).</summary>
    /// <param name="outputColumnName">The column to create.</param>
    /// <param name="inputColumnName">The column to read; default the output name.</param>
    /// <param name="mode">Mean (default), median or constant.</param>
    /// <param name="constant">The value for <see cref="ReplacementMode.Constant"/>.</param>
    /// <param name="addIndicator">Also add <c>{output}_IsMissing</c>.</param>
    public ReplaceMissingEstimator ReplaceMissingValues(string outputColumnName, string? inputColumnName = null,
        ReplacementMode mode = ReplacementMode.Mean, double constant = 0, bool addIndicator = false) =>
        new(new ReplaceMissingOptions
        {
            Columns = [new ColumnPair(outputColumnName, inputColumnName)],
            Mode = mode,
            Constant = constant,
            AddIndicator = addIndicator,
        });

    /// <summary>Replaces missing values in several columns (see <see cref="ReplaceMissingEstimator"/>).</summary>
    public ReplaceMissingEstimator ReplaceMissingValues(ReplaceMissingOptions options) => new(options);

    /// <summary>
    /// Builds one feature vector from columns of any supported type: numeric columns pass through, Text and Key
    /// columns are one-hot encoded (see <see cref="FeaturizeEstimator"/>).
    /// </summary>
    /// <param name="outputColumnName">The vector column to create (e.g. <c>Features</c>).</param>
    /// <param name="inputColumnNames">The columns, in order.</param>
    public FeaturizeEstimator Featurize(string outputColumnName, params string[] inputColumnNames) =>
        new(new FeaturizeOptions { OutputColumnName = outputColumnName, InputColumnNames = inputColumnNames });

    /// <summary>Builds one feature vector with explicit options (see <see cref="FeaturizeEstimator"/>).</summary>
    public FeaturizeEstimator Featurize(FeaturizeOptions options) => new(options);
}
