using System.Diagnostics;

namespace Webhooks.Samples.Quickstart;

internal static class Wait
{
    /// <summary>Polls <paramref name="condition"/> until it holds; returns false when the demo is stopped (Ctrl+C) first.</summary>
    public static async Task<bool> UntilAsync(Func<Task<bool>> condition, string what, CancellationToken stopping)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new TimeoutException($"Gave up waiting for {what}.");
            }

            try
            {
                await Task.Delay(50, stopping);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return false;
            }
        }

        return true;
    }
}
