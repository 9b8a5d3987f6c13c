namespace Microsoft.ML.Causal.Learners;

/// <summary>
/// Forwards a learner's progress to the context log, once per tenth of the work (synchronously, on the
/// reporting thread, unlike <see cref="Progress{T}"/>), and on to the caller's own <see cref="IProgress{T}"/> if any.
/// </summary>
internal sealed class LogProgress(CausalContext context, IProgress<LearnerProgress>? next = null) : IProgress<LearnerProgress>
{
    private int _lastTenth; // the first message comes at a tenth of the work

    public void Report(LearnerProgress value)
    {
        next?.Report(value);
        if (value.Total <= 0)
            return;
        var tenth = (int)(10L * value.Done / value.Total);
        var last = Volatile.Read(ref _lastTenth);
        if (tenth > last && Interlocked.CompareExchange(ref _lastTenth, tenth, last) == last)
            context.WriteLog(CausalLogKind.Info, value.Learner, $"{value.Done} of {value.Total}: {value.Message}");
    }
}
