using Microsoft.ML.Causal.Data;
using Microsoft.ML.Causal.Transforms;

namespace Microsoft.ML.Causal.Cli.Commands;

/// <summary>What <see cref="DataOptions.LoadTable"/> gives a command: the file's rows and the (unfitted) featurization of its features.</summary>
/// <param name="Path">The CSV file (prefix of input errors, see <see cref="DataOptions.OnFile{T}"/>).</param>
/// <param name="Context">A context seeded with <c>--seed</c>.</param>
/// <param name="Raw">The rows as loaded (categorical and declared text columns as Text).</param>
/// <param name="Featurizer">The featurization, to put at the head of a pipeline that is saved with its model.</param>
/// <param name="FeatureVector">The name of the feature vector column the featurizer adds.</param>
/// <param name="FeatureColumns">The CSV columns in the feature vector, in order.</param>
/// <param name="Threads">The <c>--threads</c> value (0 = all cores).</param>
internal sealed record FeaturizedTable(string Path, CausalContext Context, ICausalDataView Raw, FeaturizeEstimator Featurizer,
    string FeatureVector, IReadOnlyList<string> FeatureColumns, int Threads);
