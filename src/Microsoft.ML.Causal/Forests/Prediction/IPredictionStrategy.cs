namespace Microsoft.ML.Causal.Forests.Prediction;

/// <summary>
/// grf's "optimized" prediction strategy: each leaf stores a few sufficient statistics (weighted sums over its
/// estimation rows divided by the leaf's row count); a prediction averages them over the trees and applies
/// the forest's estimating equation, without ever walking sample lists.
/// </summary>
internal interface IPredictionStrategy
{
    /// <summary>Statistics stored per leaf.</summary>
    int StatCount { get; }

    /// <summary>Values predicted per row.</summary>
    int OutputCount { get; }

    /// <summary>The leaf statistics of the estimation rows <paramref name="rows"/> (non-empty) of one leaf.</summary>
    void LeafStatistics(ForestData data, ReadOnlySpan<int> rows, Span<double> stats);

    /// <summary>The prediction from leaf statistics averaged over the trees used.</summary>
    void Predict(ReadOnlySpan<double> average, Span<double> output);
}
