using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Webhooks.Core.Testing;

namespace Webhooks.Core.PostgreSql.Tests;

/// <summary>
/// Whole engines, real HTTP and real time on one schema: many messages, several dispatchers, a flaky receiver.
/// Every message must arrive, and no message may be in flight twice at the same moment.
/// </summary>
public sealed class ManyInstancesTests : PostgreSqlHostTestBase
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(4);

    [Test]
    [CancelAfter(300_000)]
    public async Task ThreeDispatchers_TenThousandMessages_EachDeliveredAndNoneConcurrentlyTwice()
    {
        const int Count = 10_000;
        var tracker = new DeliveryTracker();
        Receiver.Respond(request => tracker.Answer(request, failed: false));
        var published = await PublishOnThreeHostsAndDeliverAsync(tracker, Count);

        Assert.Multiple(() =>
        {
            Assert.That(published, Has.Count.EqualTo(Count));
            Assert.That(published.Except(tracker.Delivered.Keys), Is.Empty, "every published message was answered 2xx");
            Assert.That(tracker.Overlaps, Is.Zero, "no message was in flight twice at the same moment");
            Assert.That(tracker.Delivered.Values.Count(n => n > 1), Is.Zero, "no message was delivered twice in a run without failures");
            Assert.That(tracker.Requests, Is.EqualTo(Count));
        });
    }

    [Test]
    [CancelAfter(300_000)]
    public async Task FlakyReceiver_ThirtyPercentFailures_EverythingArrives()
    {
        const int Count = 2_000;
        var tracker = new DeliveryTracker();
        var random = new Random(20_260_101);
        var gate = new Lock();
        Receiver.Respond(request =>
        {
            bool fail;
            lock (gate)
            {
                fail = random.NextDouble() < 0.3;
            }

            return tracker.Answer(request, fail);
        });
        var published = await PublishOnThreeHostsAndDeliverAsync(tracker, Count);

        Assert.Multiple(() =>
        {
            Assert.That(published, Has.Count.EqualTo(Count));
            Assert.That(published.Except(tracker.Delivered.Keys), Is.Empty, "every published message was answered 2xx");
            Assert.That(tracker.Failures, Is.GreaterThan(Count / 5), "the receiver did fail about 30 % of the requests");
            Assert.That(tracker.Overlaps, Is.Zero, "no message was in flight twice at the same moment");
        });
    }

    [Test]
    [CancelAfter(300_000)]
    public async Task DispatcherKilledMidRun_Restarted_LosesNothing()
    {
        const int Count = 3_000;
        var tracker = new DeliveryTracker(TimeSpan.FromMilliseconds(10));
        Receiver.Respond(request => tracker.Answer(request, failed: false));
        var publisher = await StartHostAsync(o => o.Dispatcher.Enabled = false);
        await CreateWebhookAsync(publisher);
        var published = await PublishAsync([publisher], Count);

        using (var child = StartDispatcherProcess())
        {
            try
            {
                await WaitUntilAsync(() => Task.FromResult(tracker.Delivered.Count >= Count / 5 || child.HasExited), "the child delivered some messages");
                Assert.That(child.HasExited, Is.False, "the child dispatcher is still running");
                Assert.That(tracker.Delivered.Count, Is.LessThan(Count), "the child is killed mid-run");
            }
            finally
            {
                // SIGKILL on Linux: no draining, no lease released, completions not yet written are lost.
                child.Kill(entireProcessTree: true);
                await child.WaitForExitAsync();
            }
        }

        var deliveredByChild = tracker.Delivered.Count;
        await StartHostAsync(DispatcherSettings.Apply);
        await WaitUntilAllSucceededAsync(tracker, published);
        var duplicates = tracker.Delivered.Values.Count(n => n > 1);
        await TestContext.Out.WriteLineAsync(
            $"{Count} messages, {deliveredByChild} delivered before the kill, {tracker.Requests} requests, {duplicates} delivered twice");

        Assert.Multiple(() =>
        {
            Assert.That(published.Except(tracker.Delivered.Keys), Is.Empty, "every published message was answered 2xx");
            Assert.That(tracker.Overlaps, Is.Zero, "no message was in flight twice at the same moment");

            // At least once: a message the child delivered but had not yet recorded as Success when it died is delivered
            // again once its lease (2 s) lapses. Only messages the child held leases on can be repeated: at most its claimed
            // batches (BatchSize 100), in practice the few it had in flight (MaxConcurrency 8).
            Assert.That(duplicates, Is.LessThanOrEqualTo(200));
            Assert.That(tracker.Delivered.Values.Max(), Is.LessThanOrEqualTo(2), "no message was delivered more than twice");
        });
    }

    /// <summary>Starts the dispatcher-only host of tests/Webhooks.Core.PostgreSql.Tests.Dispatcher on the test's schema.</summary>
    private Process StartDispatcherProcess()
    {
        const string Name = "Webhooks.Core.PostgreSql.Tests.Dispatcher";

        // This assembly runs from tests/<project>/bin/<configuration>/<framework>/; the dispatcher builds to the same layout.
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = output.Parent!.Name;
        var tests = output.Parent.Parent!.Parent!.Parent!.FullName;
        var assembly = Path.Combine(tests, Name, "bin", configuration, output.Name, Name + ".dll");
        Assert.That(File.Exists(assembly), Is.True, $"{assembly} is built with this test project");

        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet") { UseShellExecute = false };
        start.ArgumentList.Add(assembly);
        start.ArgumentList.Add(PostgreSqlTestDatabase.ConnectionString);
        start.ArgumentList.Add(Schema);
        return Process.Start(start)!;
    }

    /// <summary>Starts three hosts, publishes <paramref name="count"/> events spread over them and waits until all succeeded.</summary>
    private async Task<HashSet<string>> PublishOnThreeHostsAndDeliverAsync(DeliveryTracker tracker, int count)
    {
        var hosts = new[] { await StartHostAsync(), await StartHostAsync(), await StartHostAsync() };
        await CreateWebhookAsync(hosts[0]);

        var published = await PublishAsync(hosts, count);
        await WaitUntilAllSucceededAsync(tracker, published);
        await TestContext.Out.WriteLineAsync(
            $"{published.Count} messages, {tracker.Requests} requests, {tracker.Failures} answered 500, "
            + $"{tracker.Delivered.Values.Count(n => n > 1)} delivered more than once, {tracker.Overlaps} overlaps");
        return published;
    }

    private async Task CreateWebhookAsync(IHost host) =>
        await host.Services.GetRequiredService<IWebhookEndpoints>().CreateAsync(
            new WebhookDefinition { Name = "orders", Url = Receiver.UrlFor("/orders"), EventTypes = ["order.*"] });

    private static async Task<HashSet<string>> PublishAsync(IHost[] hosts, int count)
    {
        var messageIds = new ConcurrentBag<string>();
        await Parallel.ForEachAsync(
            Enumerable.Range(0, count),
            new ParallelOptions { MaxDegreeOfParallelism = 24 },
            async (i, cancellationToken) =>
            {
                var publisher = hosts[i % hosts.Length].Services.GetRequiredService<IWebhookPublisher>();
                var result = await publisher.PublishAsync(
                    WebhookEvent.FromJson($"evt-{i}", "order.created", $$"""{"n":{{i}}}"""), cancellationToken);
                foreach (var id in result.MessageIds)
                {
                    messageIds.Add(id);
                }
            });
        return [.. messageIds];
    }

    private async Task WaitUntilAllSucceededAsync(DeliveryTracker tracker, HashSet<string> published)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (true)
        {
            if (tracker.Delivered.Count >= published.Count
                && await PostgreSqlTestDatabase.ScalarAsync<long>(
                    $"SELECT count(*) FROM \"{Schema}\".messages WHERE status = {(int)MessageStatus.Success}") == published.Count)
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                var succeeded = await PostgreSqlTestDatabase.ScalarAsync<long>(
                    $"SELECT count(*) FROM \"{Schema}\".messages WHERE status = {(int)MessageStatus.Success}");
                Assert.Fail(
                    $"Timed out: {tracker.Delivered.Count} of {published.Count} messages answered 2xx, {succeeded} Success in the store.");
            }

            await Task.Delay(100);
        }
    }

    private Task<IHost> StartHostAsync() =>
        StartHostAsync(o =>
        {
            o.Http.Timeout = TimeSpan.FromSeconds(10);
            o.Retry.BaseDelay = TimeSpan.FromMilliseconds(50);
            o.Retry.MaxDelay = TimeSpan.FromMilliseconds(500);
            o.Retry.Jitter = 0.2;
            o.Health.ErrorConsecutiveFailures = 1_000_000;
            o.Dispatcher.LeaseDuration = TimeSpan.FromSeconds(30);
            o.Dispatcher.PollInterval = TimeSpan.FromMilliseconds(200);
        });

    /// <summary>Counts, per message id, the 2xx answers and the requests currently being answered.</summary>
    private sealed class DeliveryTracker
    {
        private readonly ConcurrentDictionary<string, StrongBox<int>> _inFlight = new();
        private readonly TimeSpan _hold;
        private int _overlaps;
        private int _requests;
        private int _failures;

        /// <param name="hold">How long each request is worked on; two milliseconds by default.</param>
        public DeliveryTracker(TimeSpan? hold = null) => _hold = hold ?? TimeSpan.FromMilliseconds(2);

        public ConcurrentDictionary<string, int> Delivered { get; } = new();

        public int Overlaps => Volatile.Read(ref _overlaps);

        public int Requests => Volatile.Read(ref _requests);

        public int Failures => Volatile.Read(ref _failures);

        public ReceiverAnswer Answer(ReceivedWebhook request, bool failed)
        {
            Interlocked.Increment(ref _requests);
            var id = request.Headers["webhook-id"];
            var inFlight = _inFlight.GetOrAdd(id, static _ => new StrongBox<int>());
            if (Interlocked.Increment(ref inFlight.Value) > 1)
            {
                Interlocked.Increment(ref _overlaps);
            }

            try
            {
                // Work on the request for a moment, so that a second delivery of the same message overlapping it is seen.
                Thread.Sleep(_hold);
                if (failed)
                {
                    Interlocked.Increment(ref _failures);
                    return ReceiverAnswer.Status(500);
                }

                Delivered.AddOrUpdate(id, 1, static (_, n) => n + 1);
                return ReceiverAnswer.Ok;
            }
            finally
            {
                Interlocked.Decrement(ref inFlight.Value);
            }
        }
    }
}
