namespace Webhooks.Core.Tests.Filtering;

/// <summary>Measures what code allocates on the calling thread.</summary>
internal static class ThreadAllocations
{
    /// <summary>
    /// Runs <paramref name="measured"/> up to <paramref name="runs"/> times and returns the fewest bytes one run allocated
    /// on this thread (0 stops early). The runtime may allocate on the thread now and then on its own account (tier-up
    /// of the calling method, a trimmed array pool), once; an allocation of the code under test repeats in every run.
    /// </summary>
    public static long Least(Action measured, int runs = 3)
    {
        var least = long.MaxValue;
        for (var run = 0; run < runs && least > 0; run++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            measured();
            least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        return least;
    }
}
