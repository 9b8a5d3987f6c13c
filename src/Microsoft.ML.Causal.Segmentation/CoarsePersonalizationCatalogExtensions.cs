using Microsoft.ML.Causal.Segmentation.CoarsePersonalization;

namespace Microsoft.ML.Causal.Segmentation;

/// <summary>Adds coarse personalization to <c>ctx.Segmentation</c>.</summary>
public static class CoarsePersonalizationCatalogExtensions
{
    extension(SegmentationCatalog catalog)
    {
        /// <summary>
        /// Coarse personalization after a multi-arm CATE transformer: an estimator that chooses at most
        /// <paramref name="offeredLevels"/> treatment levels and whose transformer adds <c>AssignedLevel</c>, <c>ExpectedProfit</c>
        /// and <c>Segment</c> (see <see cref="CoarsePersonalizationTrainer"/>).
        /// </summary>
        /// <param name="offeredLevels">K, the most levels offered (default 5).</param>
        /// <param name="cateColumnName">The multi-arm CATE vector column (default <c>Cate</c>).</param>
        /// <param name="controlLevel">The control level's name, as the treatment column writes it (default "0").</param>
        /// <param name="profit">The profit formula (default: the CATE outcome is the net profit, π = τ̂).</param>
        /// <param name="baselineColumnName">The expected outcome at control, when the formula discounts the outcome.</param>
        public CoarsePersonalizationTrainer CoarsePersonalization(int offeredLevels = 5, string cateColumnName = "Cate", string controlLevel = "0",
            ProfitFormula? profit = null, string? baselineColumnName = null) =>
            catalog.CoarsePersonalization(new CoarsePersonalizationOptions
            {
                OfferedLevels = offeredLevels,
                CateColumnName = cateColumnName,
                ControlLevel = controlLevel,
                Profit = profit ?? ProfitFormula.NetProfitOutcome,
                BaselineColumnName = baselineColumnName,
            });

        /// <summary>Coarse personalization with every option (see <see cref="CoarsePersonalizationOptions"/>).</summary>
        /// <param name="options">K, the columns, the profit formula and the solver's options.</param>
        public CoarsePersonalizationTrainer CoarsePersonalization(CoarsePersonalizationOptions options) =>
            new(options, catalog.Context.NextComponentSeed());
    }
}
