using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Webhooks.Core.Tests.Engine;

/// <summary>
/// The health recorder when a webhook's outcomes queue up behind a slow write and are folded together: the result is
/// the one the same outcomes give folded one by one.
/// </summary>
[TestFixture]
public sealed class HealthRecorderTests
{
    /// <summary>
    /// Six failures then ten successes folded in one batch: Warning at the fifth failure, Active again at the tenth
    /// success. The webhook ends as it began (Active), but it went through two transitions, which are stored: the reason
    /// of the last one, and its time.
    /// </summary>
    [Test]
    public async Task Record_WarningAndRecoveryWithinOneFold_StoresTheRecovery()
    {
        var (host, _, recorder, webhook, gate) = await GatedWriteStore.StartRecorderAsync(fail: false);
        await using var running = host;
        using var disposed = recorder;

        // Queued behind the held write: the first failure's, which is written at once. Released well within the interval
        // at which a window alone is written.
        var stored = await FoldTogetherAsync(host, recorder, webhook, gate, failures: 5, successes: 10, TimeSpan.FromSeconds(1));
        Assert.Multiple(() =>
        {
            Assert.That(host.Notifications.Kinds(webhook.Id), Is.EqualTo(new[] { WebhookNotificationKind.WebhookWarning, WebhookNotificationKind.WebhookRecovered }));
            Assert.That((stored.State, stored.Status), Is.EqualTo((WebhookState.Enabled, WebhookStatus.Active)));
            Assert.That(stored.StatusReason, Is.EqualTo("10 consecutive successful deliveries."), "the recovery is the webhook's last transition");
            Assert.That(stored.UpdatedAt, Is.EqualTo(EngineHost.Start + TimeSpan.FromSeconds(1)), "a change of status moves UpdatedAt");
            Assert.That(stored.Health.ConsecutiveSuccesses, Is.EqualTo(10));
        });
    }

    /// <summary>
    /// Ten failures, then ten successes that were in flight when the tenth failure disabled the webhook, folded in one
    /// batch: they count in the window, but neither enable the webhook again nor recover it.
    /// </summary>
    [Test]
    public async Task Record_SuccessesAfterTheDisablingFailureWithinOneFold_StayDisabled()
    {
        var (host, _, recorder, webhook, gate) = await GatedWriteStore.StartRecorderAsync(fail: false);
        await using var running = host;
        using var disposed = recorder;

        var stored = await FoldTogetherAsync(host, recorder, webhook, gate, failures: 9, successes: 10, TimeSpan.Zero);
        Assert.Multiple(() =>
        {
            Assert.That(host.Notifications.Kinds(webhook.Id), Is.EqualTo(new[] { WebhookNotificationKind.WebhookWarning, WebhookNotificationKind.WebhookDisabled }));
            Assert.That((stored.State, stored.Status, stored.StatusReason), Is.EqualTo((WebhookState.Disabled, WebhookStatus.Error, "10 consecutive delivery failures.")));
        });
    }

    // The first fold of a recorder whose outcome did not count (an attempt to the old URL answering after a URL change)
    // was still written, storing an empty window as this process's own. The failures folded next, not written yet, were
    // then carried over the next reset (another URL change): its empty window looked like the one this process had
    // stored, so the recorder went on from its own window, and one failure after the reset made five and a Warning.
    [Test]
    public async Task LateOutcomeOfTheOldUrl_ThenFailuresAndAnotherUrlChange_OnlyWhatCameAfterTheChangeCounts()
    {
        await using var host = await EngineHost.StartAsync();
        using var recorder = NewRecorder(host);
        var webhook = (await host.CreateAsync("/a")).Webhook;
        var (b, c) = (host.Receiver.UrlFor("/b"), host.Receiver.UrlFor("/c"));

        await host.Endpoints.UpdateAsync(webhook.Id, new WebhookUpdate { Url = b });
        recorder.Record(webhook, host.Time.GetUtcNow(), 500);
        await recorder.DrainAsync();
        for (var i = 0; i < 4; i++)
        {
            recorder.Record(webhook with { Url = b }, host.Time.GetUtcNow(), 500);
        }

        await recorder.DrainAsync();
        await host.Endpoints.UpdateAsync(webhook.Id, new WebhookUpdate { Url = c });
        recorder.Record(webhook with { Url = c }, host.Time.GetUtcNow(), 500);
        await recorder.WriteUnwrittenAsync();

        var stored = (await host.Endpoints.GetAsync(webhook.Id))!;
        Assert.That((stored.Status, stored.Health.Count, stored.Health.FailuresInLast(10)), Is.EqualTo((WebhookStatus.Active, 1, 1)), stored.StatusReason);
    }

    // A URL change starts the window afresh; the four failures to the new URL, within the interval of the recorder's last
    // write, were kept to write later. The owner's rename then wrote the webhook with the empty window it had: neither the
    // recorder's generation nor its last stored window, so the recorder took the window for another's and dropped its
    // own. The fifth failure to the new URL was the only one counted, and no Warning came.
    [Test]
    public async Task FailuresAfterAUrlChange_NotWrittenYetWhenTheOwnerRenames_StillCount()
    {
        await using var host = await EngineHost.StartAsync();
        using var recorder = NewRecorder(host);
        var webhook = (await host.CreateAsync("/a")).Webhook;
        var moved = webhook with { Url = host.Receiver.UrlFor("/b") };

        recorder.Record(webhook, host.Time.GetUtcNow(), 500);
        await recorder.DrainAsync();
        await host.Endpoints.UpdateAsync(webhook.Id, new WebhookUpdate { Url = moved.Url });
        await RecordAsync(recorder, moved, host.Time.GetUtcNow(), 500, times: 4);
        await host.Endpoints.UpdateAsync(webhook.Id, new WebhookUpdate { Name = "renamed" });
        await RecordAsync(recorder, moved, host.Time.GetUtcNow(), 500, times: 1);
        await recorder.WriteUnwrittenAsync();

        var stored = (await host.Endpoints.GetAsync(webhook.Id))!;
        Assert.That(
            (stored.Status, stored.StatusReason, stored.Health.Count, stored.Health.FailuresInLast(10)),
            Is.EqualTo((WebhookStatus.Warning, "5 failed deliveries within the last 10 attempts.", 5, 5)));
    }

    // Generations start again at 1 for a webhook created again with the id of a deleted one. The recorder had stored the
    // deleted webhook's window at generation 2 and folded three more failures since; the new webhook, renamed, was at
    // generation 2 too, so the recorder took it for its own and went on from the old window: one failure made a Warning.
    [Test]
    public async Task WebhookCreatedAgainWithItsId_FailuresOfTheDeletedOne_NotCarriedOver()
    {
        await using var host = await EngineHost.StartAsync();
        using var recorder = NewRecorder(host);
        var deleted = (await host.CreateAsync("/a", d => d with { Id = "wh-again" })).Webhook;
        for (var i = 0; i < 4; i++)
        {
            recorder.Record(deleted, host.Time.GetUtcNow(), 500);
        }

        await recorder.DrainAsync();
        await host.Endpoints.DeleteAsync(deleted.Id);
        host.Time.Advance(TimeSpan.FromSeconds(1));
        var created = (await host.CreateAsync("/a", d => d with { Id = deleted.Id })).Webhook;
        await host.Endpoints.UpdateAsync(created.Id, new WebhookUpdate { Name = "renamed" });
        recorder.Record(created, host.Time.GetUtcNow(), 500);
        await recorder.WriteUnwrittenAsync();

        var stored = (await host.Endpoints.GetAsync(created.Id))!;
        Assert.That((stored.Status, stored.Health.Count, stored.Health.FailuresInLast(10)), Is.EqualTo((WebhookStatus.Active, 1, 1)), stored.StatusReason);
    }

    // An attempt to a deleted webhook that answers once a webhook with the same id and URL has been created: its 410 is
    // the deleted webhook's, and disabled the new one.
    [Test]
    public async Task WebhookCreatedAgainWithItsId_LateGoneOfTheDeletedOne_DoesNotDisableIt()
    {
        await using var host = await EngineHost.StartAsync();
        using var recorder = NewRecorder(host);
        var deleted = (await host.CreateAsync("/a", d => d with { Id = "wh-again" })).Webhook;
        var startedAt = host.Time.GetUtcNow();
        await host.Endpoints.DeleteAsync(deleted.Id);
        host.Time.Advance(TimeSpan.FromSeconds(1));
        var created = (await host.CreateAsync("/a", d => d with { Id = deleted.Id })).Webhook;

        recorder.Record(deleted, startedAt, 410);
        await recorder.WriteUnwrittenAsync();

        var stored = (await host.Endpoints.GetAsync(created.Id))!;
        Assert.Multiple(() =>
        {
            Assert.That((stored.State, stored.Status, stored.Health.Count), Is.EqualTo((WebhookState.Enabled, WebhookStatus.Active, 0)), stored.StatusReason);
            Assert.That(host.Notifications.Kinds(created.Id), Is.Empty);
        });
    }

    // Housekeeping forgets the window of a webhook it read as deleted. Created again with that id meanwhile, the webhook
    // had outcomes folded but not written yet: forgetting them lost them, and their timer with them.
    [Test]
    public async Task Forget_WebhookCreatedAgainSinceItWasReadAsDeleted_KeepsItsOutcomesNotWrittenYet()
    {
        await using var host = await EngineHost.StartAsync();
        using var recorder = NewRecorder(host);
        var webhook = (await host.CreateAsync("/a")).Webhook;
        for (var i = 0; i < 4; i++)
        {
            recorder.Record(webhook, host.Time.GetUtcNow(), 500);
        }

        await recorder.DrainAsync();
        recorder.Forget(webhook.Id);
        await recorder.WriteUnwrittenAsync();

        var stored = (await host.Endpoints.GetAsync(webhook.Id))!;
        Assert.That((stored.Health.Count, stored.Health.ConsecutiveFailures), Is.EqualTo((4, 4)));
    }

    // Two instances share the store, each with its recorder. The second one's success came between the first one's two
    // runs of five failures, but it had written the webhook a moment before and kept the success to write later: the
    // first instance went on from its own window to ten failures in a row and disabled the webhook.
    [Test]
    public async Task TwoInstances_SuccessNotWrittenYetOnOne_BreaksTheOthersRunOfFailures()
    {
        await using var host = await EngineHost.StartAsync();
        using var first = NewRecorder(host);
        using var second = NewRecorder(host);
        var webhook = (await host.CreateAsync("/a")).Webhook;
        var now = host.Time.GetUtcNow();

        second.Record(webhook, now, 200);
        await second.DrainAsync();
        await RecordAsync(first, webhook, now, 500, times: 5);
        second.Record(webhook, now, 200);
        await second.DrainAsync();
        await RecordAsync(first, webhook, now, 500, times: 5);
        await first.WriteUnwrittenAsync();
        await second.WriteUnwrittenAsync();
        await host.NotificationsSettledAsync();

        var stored = (await host.Endpoints.GetAsync(webhook.Id))!;
        Assert.Multiple(() =>
        {
            Assert.That((stored.State, stored.Status), Is.EqualTo((WebhookState.Enabled, WebhookStatus.Warning)), stored.StatusReason);
            Assert.That(host.Notifications.Kinds(webhook.Id), Is.EqualTo(new[] { WebhookNotificationKind.WebhookWarning }));
        });
    }

    private static async Task RecordAsync(Webhooks.Core.Internal.HealthRecorder recorder, WebhookConfig webhook, DateTimeOffset startedAt, int statusCode, int times)
    {
        for (var i = 0; i < times; i++)
        {
            recorder.Record(webhook, startedAt, statusCode);
        }

        await recorder.DrainAsync();
    }

    private static Webhooks.Core.Internal.HealthRecorder NewRecorder(EngineHost host) => new(
        host.Host.Services.GetRequiredService<Webhooks.Core.Internal.WebhookStateChanges>(),
        host.Host.Services.GetRequiredService<Webhooks.Core.Internal.NotificationDispatcher>(),
        host.Time,
        NullLogger.Instance);

    /// <summary>
    /// Records <paramref name="failures"/> failures then <paramref name="successes"/> successes behind the held write,
    /// moves the clock by <paramref name="after"/>, releases the write and returns the webhook once all is folded.
    /// </summary>
    private static async Task<WebhookConfig> FoldTogetherAsync(
        EngineHost host, Webhooks.Core.Internal.HealthRecorder recorder, WebhookConfig webhook, TaskCompletionSource gate, int failures, int successes, TimeSpan after)
    {
        for (var i = 0; i < failures + successes; i++)
        {
            recorder.Record(webhook, host.Time.GetUtcNow(), i < failures ? 500 : 200);
        }

        host.Time.Advance(after);
        gate.SetResult();
        await recorder.DrainAsync().WaitAsync(TimeSpan.FromSeconds(10));
        await host.NotificationsSettledAsync();
        return (await host.Endpoints.GetAsync(webhook.Id))!;
    }
}
