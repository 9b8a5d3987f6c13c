namespace Microsoft.ML.Causal.Learners;

/// <summary>How a fit runs: its seed, parallelism, progress reporting and cancellation.</summary>
public sealed record FitContext
{
    /// <summary>The seed of the fit (a learner's own <c>Seed</c> option overrides it). Default 0.</summary>
    public int Seed { get; init; }

    /// <summary>Most threads to use; 0 (default) means all cores. Results never depend on it.</summary>
    public int MaxDegreeOfParallelism { get; init; }

    /// <summary>Receives progress of long fits (e.g. trees done), or null.</summary>
    public IProgress<LearnerProgress>? Progress { get; init; }

    /// <summary>Cancels the fit; a cancelled fit throws <see cref="OperationCanceledException"/> and returns nothing.</summary>
    public CancellationToken CancellationToken { get; init; }

    /// <summary>Receives diagnostics (kind, source, message), e.g. a context's <c>WriteLog</c>; null to drop them.</summary>
    public Action<CausalLogKind, string, string>? Log { get; init; }

    /// <summary>The context used when none is given.</summary>
    public static FitContext Default { get; } = new();

    internal ParallelOptions ParallelOptions => new()
    {
        MaxDegreeOfParallelism = MaxDegreeOfParallelism > 0 ? MaxDegreeOfParallelism : -1,
        CancellationToken = CancellationToken,
    };
}

/// <summary>Progress of a fit.</summary>
/// <param name="Learner">The learner reporting.</param>
/// <param name="Done">Units done (e.g. trees).</param>
/// <param name="Total">Units planned.</param>
/// <param name="Message">What is being done.</param>
public sealed record LearnerProgress(string Learner, int Done, int Total, string Message);
