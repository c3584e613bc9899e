namespace Webhooks.Core.PostgreSql.Tests;

public sealed class NotificationTests : PostgreSqlTestBase
{
    [Test]
    public async Task Subscribe_EnqueueOnAnotherInstance_CallbackRuns()
    {
        var publisher = CreateStore();
        var dispatcher = CreateStore();
        await publisher.MigrateAsync(Timeout);
        var woken = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = dispatcher.Subscribe(() => Volatile.Read(ref woken).TrySetResult());
        await dispatcher.WaitUntilListeningAsync(Timeout);
        await woken.Task.WaitAsync(Timeout); // connecting wakes subscribers once: anything before it may have been missed
        Volatile.Write(ref woken, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

        await publisher.EnqueueAsync([TestData.Message("m-1", "wh-1", Now, Now)], Timeout);

        await woken.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Test]
    public async Task Subscribe_Disposed_CallbackNoLongerRuns()
    {
        var store = CreateStore();
        await store.MigrateAsync(Timeout);
        var calls = 0;
        var other = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var subscription = store.Subscribe(() => Interlocked.Increment(ref calls));
        using var witness = store.Subscribe(() => Volatile.Read(ref other).TrySetResult());
        await store.WaitUntilListeningAsync(Timeout);
        await other.Task.WaitAsync(Timeout);
        subscription.Dispose();
        var before = Volatile.Read(ref calls);
        Volatile.Write(ref other, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

        await store.EnqueueAsync([TestData.Message("m-1", "wh-1", Now, Now)], Timeout);
        await other.Task.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.That(Volatile.Read(ref calls), Is.EqualTo(before));
    }

    [Test]
    public async Task Listener_ConnectionTerminated_ReconnectsAndWakesAgain()
    {
        var publisher = CreateStore();
        var dispatcher = CreateStore(o => o.NotificationChannel = Schema + "_reconnect");
        await publisher.MigrateAsync(Timeout);
        var woken = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = dispatcher.Subscribe(() => Volatile.Read(ref woken).TrySetResult());
        await dispatcher.WaitUntilListeningAsync(Timeout);

        await PostgreSqlTestDatabase.ScalarAsync<bool>(
            "SELECT bool_and(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE query = $1", $"LISTEN \"{Schema}_reconnect\"");
        await WaitUntilAsync(
            () =>
            {
                Time.Advance(TimeSpan.FromMilliseconds(50)); // the reconnect delay runs on the store's clock
                return Task.FromResult(dispatcher.ListenerConnections == 2);
            },
            "the listener reconnected");
        await dispatcher.WaitUntilListeningAsync(Timeout);
        Volatile.Write(ref woken, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

        await using var notify = PostgreSqlTestDatabase.DataSource.CreateCommand($"SELECT pg_notify('{Schema}_reconnect', 'd')");
        await notify.ExecuteNonQueryAsync();

        await woken.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }

    // Set on the options of a store built directly (not through UsePostgreSql, whose options are validated at start):
    // with 0 the listener reconnected in a tight loop while the database was away; with a negative delay or one past a
    // timer's range its loop ended at its first reconnect, and the store never listened again.
    [TestCase(0)]
    [TestCase(-5)]
    [TestCase(60 * 86400)]
    public void Constructor_ListenerReconnectDelayATimerCannotTake_ThrowsNamingIt(int seconds)
    {
        Assert.That(
            () => CreateStore(o => o.ListenerReconnectDelay = TimeSpan.FromSeconds(seconds)),
            Throws.InstanceOf<ArgumentOutOfRangeException>().With.Property(nameof(ArgumentException.ParamName)).EqualTo(nameof(PostgreSqlStoreOptions.ListenerReconnectDelay)));
    }
}
