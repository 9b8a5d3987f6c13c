
namespace Microsoft.ML.Causal;

/// <summary>
/// The entry point: holds the seed and the log, and exposes the catalogs (<see cref="Data"/>,
/// <see cref="Transforms"/>, <see cref="Regression"/>, <see cref="BinaryClassification"/>, <see cref="Cate"/>, <see cref="Model"/>).
/// </summary>
/// <remarks>
/// Seed policy: the context seed gives each randomized component, in the order the catalogs create them, a
/// component seed (<see cref="NextComponentSeed"/>); a component gives its trees, folds and replicates the
/// component seed plus their index. An explicit <c>Seed</c> in a component's options overrides the derived one.
/// So a program that builds the same pipeline with the same context seed gets the same models, whatever the
/// thread count.
/// </remarks>
public sealed class CausalContext
{
    private int _componentCount;

    /// <summary>Creates a context.</summary>
    /// <param name="seed">The seed for everything random; null draws one at random (recorded in <see cref="Seed"/> and in saved models).</param>
    public CausalContext(int? seed = null)
    {
        Seed = seed ?? Random.Shared.Next();
        Data = new CausalDataCatalog(this);
        Transforms = new CausalTransformsCatalog(this);
        Regression = new CausalRegressionCatalog(this);
        BinaryClassification = new CausalBinaryClassificationCatalog(this);
        Cate = new CausalCateCatalog(this);
        Analysis = new CausalAnalysisCatalog(this);
        Model = new CausalModelCatalog(this);
    }

    /// <summary>The seed in force: the one given, or the one drawn when none was.</summary>
    public int Seed { get; }

    /// <summary>Loading, splitting and converting data.</summary>
    public CausalDataCatalog Data { get; }

    /// <summary>Featurization transforms.</summary>
    public CausalTransformsCatalog Transforms { get; }

    /// <summary>Regression trainers and metrics.</summary>
    public CausalRegressionCatalog Regression { get; }

    /// <summary>Binary classification trainers and metrics.</summary>
    public CausalBinaryClassificationCatalog BinaryClassification { get; }

    /// <summary>Heterogeneous treatment effects: CATE trainers (S/T/X/R/DR learners, linear DML).</summary>
    public CausalCateCatalog Cate { get; }
    /// <summary>Average treatment effects (AIPW, IPW, difference in means, regression adjustment) of experiments and observational data.</summary>
    public CausalAnalysisCatalog Analysis { get; }

    /// <summary>Saving, loading and scoring models.</summary>
    public CausalModelCatalog Model { get; }

    /// <summary>Raised for each message a component logs (progress, warnings such as poor overlap).</summary>
    public event EventHandler<CausalLogEventArgs>? Log;

    /// <summary>
    /// The seed for the next randomized component: a fixed mix of <see cref="Seed"/> and the number of
    /// components created so far from this context. Thread-safe.
    /// </summary>
    public int NextComponentSeed() => DeriveSeed(Seed, Interlocked.Increment(ref _componentCount));

    /// <summary>Writes a message to <see cref="Log"/>.</summary>
    public void WriteLog(CausalLogKind kind, string source, string message) =>
        Log?.Invoke(this, new CausalLogEventArgs(kind, source, message));

    /// <summary>A seed derived from <paramref name="seed"/> and <paramref name="index"/> by a SplitMix64 step (stable across platforms).</summary>
    public static int DeriveSeed(int seed, int index)
    {
        var z = unchecked(((ulong)(uint)seed << 32 | (uint)index) + 0x9E3779B97F4A7C15UL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return (int)((z ^ (z >> 31)) & 0x7FFFFFFF);
    }
}
