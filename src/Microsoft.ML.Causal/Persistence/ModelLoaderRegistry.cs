using System.Collections.Concurrent;
using Microsoft.ML.Causal.Forests;
using Microsoft.ML.Causal.Learners;
using Microsoft.ML.Causal.Learners.GradientBoosting;
using Microsoft.ML.Causal.Learners.RandomForest;
using Microsoft.ML.Causal.Learners.Linear;
using Microsoft.ML.Causal.Transforms;

using Microsoft.ML.Causal.Trainers;

namespace Microsoft.ML.Causal.Persistence;

/// <summary>
/// The loaders a model file may invoke, by component name. Only registered names are ever constructed; a file
/// naming anything else is rejected. The library registers its own components; other assemblies register
/// theirs (typically from a module initializer).
/// </summary>
public static class ModelLoaderRegistry
{
    private static readonly ConcurrentDictionary<string, Registration> Loaders = new(StringComparer.Ordinal);

    static ModelLoaderRegistry()
    {
        Register(ChainLoader.Name, ChainLoader.Version, ChainLoader.Load);
        Register(ConcatenateTransformer.LoaderName, ConcatenateTransformer.Version, ConcatenateTransformer.Load);
        Register(OneHotTransformer.LoaderName, OneHotTransformer.Version, OneHotTransformer.Load);
        Register(NormalizeTransformer.LoaderName, NormalizeTransformer.Version, NormalizeTransformer.Load);
        Register(ReplaceMissingTransformer.LoaderName, ReplaceMissingTransformer.Version, ReplaceMissingTransformer.Load);
        Register(FeaturizeTransformer.LoaderName, FeaturizeTransformer.Version, FeaturizeTransformer.Load);
        Register(GradientBoostingRegressionModel.LoaderName, GradientBoostingRegressionModel.Version, GradientBoostingRegressionModel.Load);
        Register(GradientBoostingBinaryModel.LoaderName, GradientBoostingBinaryModel.Version, GradientBoostingBinaryModel.Load);
        Register(RandomForestRegressionModel.LoaderName, RandomForestRegressionModel.Version, RandomForestRegressionModel.Load);
        Register(RandomForestProbabilityModel.LoaderName, RandomForestProbabilityModel.Version, RandomForestProbabilityModel.Load);
        Register(LinearRegressionModel.LoaderName, LinearRegressionModel.Version, LinearRegressionModel.Load);
        Register(LogisticRegressionModel.LoaderName, LogisticRegressionModel.Version, LogisticRegressionModel.Load);
        Register(HurdleRegressionModel.LoaderName, HurdleRegressionModel.Version, HurdleRegressionModel.Load);
        Register(RegressionScoringTransformer.LoaderName, RegressionScoringTransformer.Version, RegressionScoringTransformer.Load);
        Register(BinaryScoringTransformer.LoaderName, BinaryScoringTransformer.Version, BinaryScoringTransformer.Load);
        Register(SLearnerModel.LoaderName, SLearnerModel.Version, SLearnerModel.Load);
        Register(TLearnerModel.LoaderName, TLearnerModel.Version, TLearnerModel.Load);
        Register(XLearnerModel.LoaderName, XLearnerModel.Version, XLearnerModel.Load);
        Register(FinalStageModel.LoaderName, FinalStageModel.Version, FinalStageModel.Load);
        Register(LinearDmlModel.LoaderName, LinearDmlModel.Version, LinearDmlModel.Load);
        Register(RegressionForestModel.LoaderName, RegressionForestModel.Version, RegressionForestModel.Load);
        Register(ProbabilityForestModel.LoaderName, ProbabilityForestModel.Version, ProbabilityForestModel.Load);
        Register(CausalForestModel.LoaderName, CausalForestModel.Version, CausalForestModel.Load);
        Register(MultiArmCausalForestModel.LoaderName, MultiArmCausalForestModel.Version, MultiArmCausalForestModel.Load);
        Register(CateTransformer.LoaderName, CateTransformer.Version, CateTransformer.Load);
    }

    /// <summary>Registers (or replaces) the loader for <paramref name="componentName"/>.</summary>
    /// <param name="componentName">The name components of this kind report in <see cref="ISavableModel.ComponentName"/>.</param>
    /// <param name="maxVersion">The newest payload version the loader reads; newer files are rejected.</param>
    /// <param name="loader">Reads a payload (its version is <see cref="IModelReader.Version"/>) and returns the component.</param>
    public static void Register(string componentName, int maxVersion, Func<IModelReader, ISavableModel> loader)
    {
        ArgumentException.ThrowIfNullOrEmpty(componentName);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxVersion);
        ArgumentNullException.ThrowIfNull(loader);
        Loaders[componentName] = new Registration(maxVersion, loader);
    }

    /// <summary>True when a loader is registered under <paramref name="componentName"/>.</summary>
    public static bool IsRegistered(string componentName) => Loaders.ContainsKey(componentName);

    internal static bool TryGet(string componentName, out Registration registration) =>
        Loaders.TryGetValue(componentName, out registration!);

    internal sealed record Registration(int MaxVersion, Func<IModelReader, ISavableModel> Loader);
}
