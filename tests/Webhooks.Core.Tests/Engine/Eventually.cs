using System.Diagnostics;

namespace Webhooks.Core.Tests.Engine;

/// <summary>Waits for a condition with a deadline, instead of sleeping for a guessed time.</summary>
internal static class Eventually
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    public static async Task HoldsAsync(Func<Task<bool>> condition, Func<string> describe)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > Deadline)
            {
                Assert.Fail($"Still waiting after {Deadline.TotalSeconds} s for {describe()}");
            }

            await Task.Yield();
            await Task.Delay(5);
        }
    }
}
