namespace Webhooks.Core.AspNetCore.Tests;

/// <summary>Waits for a condition with a deadline, for state that another process (the dispatcher) changes.</summary>
internal static class Eventually
{
    private static readonly TimeSpan _timeout = TimeSpan.FromSeconds(30);

    public static async Task<T> GetAsync<T>(Func<Task<T>> read, Func<T, bool> done, string what)
    {
        using var deadline = new CancellationTokenSource(_timeout);
        var last = await read();
        while (!done(last))
        {
            if (deadline.IsCancellationRequested)
            {
                Assert.Fail($"Timed out after {_timeout.TotalSeconds} s waiting for {what}; last seen: {last}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), CancellationToken.None);
            last = await read();
        }

        return last;
    }
}
