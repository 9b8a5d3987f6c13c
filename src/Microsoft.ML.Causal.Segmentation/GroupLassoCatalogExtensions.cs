using Microsoft.ML.Causal.Segmentation.GroupLasso;

namespace Microsoft.ML.Causal.Segmentation;

/// <summary>Adds the group-lasso segment discovery to <c>ctx.Segmentation</c>.</summary>
public static class GroupLassoCatalogExtensions
{
    extension(SegmentationCatalog catalog)
    {
        /// <summary>
        /// Group-lasso segment discovery from a multi-creative experiment: an estimator whose transformer adds
        /// <c>Segment</c> (Key over the segment names) and <c>SegmentScores</c> (one slot per segment).
        /// </summary>
        /// <param name="responseColumnName">The 0/1 (numeric or Boolean) response.</param>
        /// <param name="segmentColumnName">The segment each row's creative was designed for (Text, Key or numeric).</param>
        /// <param name="creativeColumnName">The creative shown (Text, Key or numeric); each creative belongs to exactly one segment.</param>
        /// <param name="featureColumnName">The Vector&lt;Double&gt; feature column (default <c>Features</c>).</param>
        /// <param name="lambda">λ ≥ 0; null (default) chooses (α, λ) by 5-fold cross-validation.</param>
        /// <param name="alpha">α; null (default) means 0.25 with a fixed λ, and the default α grid when cross-validating.</param>
        /// <param name="weightColumnName">An optional numeric weight column.</param>
        public GroupLassoTrainer GroupLasso(string responseColumnName, string segmentColumnName, string creativeColumnName,
            string featureColumnName = "Features", double? lambda = null, double? alpha = null, string? weightColumnName = null) =>
            catalog.GroupLasso(new GroupLassoTrainerOptions
            {
                ResponseColumnName = responseColumnName,
                SegmentColumnName = segmentColumnName,
                CreativeColumnName = creativeColumnName,
                FeatureColumnName = featureColumnName,
                Lambda = lambda,
                Alpha = alpha,
                WeightColumnName = weightColumnName,
            });

        /// <summary>Group-lasso segment discovery with every option (see <see cref="GroupLassoTrainerOptions"/>).</summary>
        /// <param name="options">The columns, the penalty and the solver's options.</param>
        public GroupLassoTrainer GroupLasso(GroupLassoTrainerOptions options) =>
            new(options, catalog.Context.NextComponentSeed());
    }
}
