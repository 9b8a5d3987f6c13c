using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using Microsoft.ML.Causal.Persistence;
using Microsoft.ML.Causal.Segmentation.CoarsePersonalization;
using Microsoft.ML.Causal.Segmentation.GroupLasso;

namespace Microsoft.ML.Causal.Segmentation;

/// <summary>Registers the segmentation assembly's model-file loaders when the assembly is loaded.</summary>
internal static class SegmentationModule
{
    [ModuleInitializer]
    [SuppressMessage("Usage", "CA2255", Justification = "Model files name components, not types: the loaders must be registered before any file can be read, and ModelLoaderRegistry documents a module initializer as the way other assemblies do it.")]
    internal static void RegisterLoaders()
    {
        ModelLoaderRegistry.Register(GroupLassoModel.LoaderName, GroupLassoModel.Version, GroupLassoModel.Load);
        ModelLoaderRegistry.Register(GroupLassoTransformer.LoaderName, GroupLassoTransformer.Version, GroupLassoTransformer.Load);
        ModelLoaderRegistry.Register(CoarsePersonalizationTransformer.LoaderName, CoarsePersonalizationTransformer.Version, CoarsePersonalizationTransformer.Load);
    }
}
