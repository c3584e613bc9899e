using Webhooks.Core.Internal;

namespace Webhooks.Core.Tests.Engine;

/// <summary>The health recorder when a write fails: at stop, and after the dispatcher was disposed.</summary>
[TestFixture]
public sealed class HealthWriteFailureTests
{
    /// <summary>
    /// A health write fails while another outcome of the same webhook waits in the queue (recorded during the write).
    /// The outcome waits for the retry (the next outcome or the timer), and the drain the dispatcher awaits as it stops
    /// does not wait for it: the stop of a host whose store is failing ends.
    /// </summary>
    [Test]
    public async Task HealthWriteFailsWithAnOutcomeQueuedDuringIt_WriteUnwrittenAtStopCompletes()
    {
        var (host, control, recorder, webhook, gate) = await GatedWriteStore.StartRecorderAsync(fail: true);
        await using var running = host;
        using var disposed = recorder;

        // A second outcome arrives while that write is under way; then the dispatcher stops.
        recorder.Record(webhook, host.Time.GetUtcNow(), 500);
        var stop = recorder.WriteUnwrittenAsync();

        // The write fails.
        gate.SetResult();

        try
        {
            Assert.That(async () => await stop.WaitAsync(TimeSpan.FromSeconds(10)), Throws.Nothing, "the stop's health write ends after the failed write");
        }
        finally
        {
            // Should the stop not have ended, the retry a whole interval later ends it: the test leaves nothing running.
            Volatile.Write(ref control.Gate, null);
            host.Time.Advance(HealthRecorder.PersistInterval);
            await stop.WaitAsync(TimeSpan.FromSeconds(10));
        }
    }

    /// <summary>
    /// The dispatcher is disposed (the host's shutdown ran out of time) while a health write is still under way. When
    /// that write fails, no retry timer is armed: it would write against a store the host has disposed, fail and re-arm
    /// every 10 s for as long as the process lives.
    /// </summary>
    [Test]
    public async Task HealthWriteFailsAfterTheRecorderWasDisposed_NoTimerWritesAgain()
    {
        var (host, control, recorder, _, gate) = await GatedWriteStore.StartRecorderAsync(fail: true);
        await using var running = host;

        recorder.Dispose();
        gate.SetResult();
        await recorder.DrainAsync().WaitAsync(TimeSpan.FromSeconds(10));
        var writesAtDispose = Volatile.Read(ref control.Writes);

        for (var i = 0; i < 3; i++)
        {
            host.Time.Advance(HealthRecorder.PersistInterval);
            await recorder.DrainAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }

        Assert.That(Volatile.Read(ref control.Writes), Is.EqualTo(writesAtDispose), "a disposed recorder must not write again from a timer");
    }
}
