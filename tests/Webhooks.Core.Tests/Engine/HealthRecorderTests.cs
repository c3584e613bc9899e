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

        // Queued behind the held write: the first failure's, which is written at once.
        for (var i = 0; i < 5; i++)
        {
            recorder.Record(webhook.Id, webhook.Url, host.Time.GetUtcNow(), 500);
        }

        for (var i = 0; i < 10; i++)
        {
            recorder.Record(webhook.Id, webhook.Url, host.Time.GetUtcNow(), 200);
        }

        // Well within the interval at which a window alone is written.
        host.Time.Advance(TimeSpan.FromSeconds(1));
        gate.SetResult();
        await recorder.DrainAsync().WaitAsync(TimeSpan.FromSeconds(10));
        await host.NotificationsSettledAsync();

        var stored = (await host.Endpoints.GetAsync(webhook.Id))!;
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

        for (var i = 0; i < 9; i++)
        {
            recorder.Record(webhook.Id, webhook.Url, host.Time.GetUtcNow(), 500);
        }

        for (var i = 0; i < 10; i++)
        {
            recorder.Record(webhook.Id, webhook.Url, host.Time.GetUtcNow(), 200);
        }

        gate.SetResult();
        await recorder.DrainAsync().WaitAsync(TimeSpan.FromSeconds(10));
        await host.NotificationsSettledAsync();

        var stored = (await host.Endpoints.GetAsync(webhook.Id))!;
        Assert.Multiple(() =>
        {
            Assert.That(host.Notifications.Kinds(webhook.Id), Is.EqualTo(new[] { WebhookNotificationKind.WebhookWarning, WebhookNotificationKind.WebhookDisabled }));
            Assert.That((stored.State, stored.Status, stored.StatusReason), Is.EqualTo((WebhookState.Disabled, WebhookStatus.Error, "10 consecutive delivery failures.")));
        });
    }
}
