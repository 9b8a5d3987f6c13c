namespace Microsoft.ML.Causal.Persistence;

/// <summary>
/// The one exception a model file raises when it cannot be loaded: truncated, tampered with (a checksum
/// differs), not a model file of this library, written by a newer version, or naming a component with no
/// registered loader. No partial model is ever returned.
/// </summary>
public sealed class ModelFileException : IOException
{
    /// <summary>Creates the exception.</summary>
    public ModelFileException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with the error that revealed the problem.</summary>
    public ModelFileException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
