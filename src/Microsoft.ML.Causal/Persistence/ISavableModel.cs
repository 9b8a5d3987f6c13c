namespace Microsoft.ML.Causal.Persistence;

/// <summary>
/// A component that can be written to a model file. Its loader must be registered under
/// <see cref="ComponentName"/> with <see cref="ModelLoaderRegistry.Register"/>; files never name CLR types.
/// </summary>
public interface ISavableModel
{
    /// <summary>The registered name of this component's loader.</summary>
    string ComponentName { get; }

    /// <summary>The payload version <see cref="Save"/> writes; loaders read this version and older ones.</summary>
    int ComponentVersion { get; }

    /// <summary>Writes the component's payload (little-endian, through <paramref name="writer"/>).</summary>
    void Save(IModelWriter writer);
}
