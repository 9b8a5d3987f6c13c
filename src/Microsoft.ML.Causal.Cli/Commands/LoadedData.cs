using Microsoft.ML.Causal.Data;
using Microsoft.ML.Causal.Trainers;
using Microsoft.ML.Causal.Transforms;

namespace Microsoft.ML.Causal.Cli.Commands;

/// <summary>What <see cref="DataOptions.Load"/> gives a command: the file's rows, their featurization and the columns of the analysis.</summary>
/// <param name="Path">The CSV file (prefix of input errors, see <see cref="DataOptions.OnFile{T}"/>).</param>
/// <param name="Context">A context seeded with <c>--seed</c>; its catalogs give each later component its seed.</param>
/// <param name="Raw">The rows as loaded (categorical columns as Text).</param>
/// <param name="Featurizer">The featurization (unfitted), to put at the head of a pipeline that is saved with its model.</param>
/// <param name="Columns">Outcome, treatment, feature vector, weight, cluster and control arm of the analysis.</param>
/// <param name="FeatureColumns">The CSV columns in the feature vector, in order.</param>
/// <param name="Threads">The <c>--threads</c> value: the most threads a fit uses (0 = all cores); pass it as the fit's MaxDegreeOfParallelism.</param>
internal sealed record LoadedData(string Path, CausalContext Context, ICausalDataView Raw, FeaturizeEstimator Featurizer,
    CateColumns Columns, IReadOnlyList<string> FeatureColumns, int Threads)
{
    private ICausalDataView? _featurized;

    /// <summary>
    /// The rows with the feature vector added (the featurizer fitted on <see cref="Raw"/>), computed on first use:
    /// <c>ate</c> analyses it; <c>fit</c> fits the featurizer inside the pipeline it saves and never needs it.
    /// </summary>
    public ICausalDataView Featurized => _featurized ??= DataOptions.OnFile(Path, () => Featurizer.Fit(Raw).Transform(Raw));
}
