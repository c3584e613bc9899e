using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Webhooks.Core.Testing;

namespace Webhooks.Core.Tests.Engine;

[TestFixture]
public sealed class DeliveryTests
{
    [Test]
    public async Task Publish_ToActiveWebhook_DeliversBodySignedWithItsSecret()
    {
        await using var host = await EngineHost.StartAsync();
        var created = await host.CreateAsync();

        var result = await host.PublishAsync("evt_1", "order.created", """{"total": 12}""");

        Assert.That(result.MessageIds, Has.Count.EqualTo(1));
        var request = (await host.Receiver.WaitForRequestsAsync(1, Eventually.Deadline))[0];
        var verifier = new StandardWebhooksVerifier([created.Secret], timeProvider: host.Time);
        Assert.That(
            verifier.Verify(request.Headers["webhook-id"], request.Headers["webhook-timestamp"], request.Headers["webhook-signature"], request.Body.Span),
            Is.EqualTo(SignatureVerificationResult.Valid));
        using var body = JsonDocument.Parse(request.Body);
        Assert.Multiple(() =>
        {
            Assert.That(request.Headers["webhook-id"], Is.EqualTo(result.MessageIds[0]));
            Assert.That(body.RootElement.GetProperty("type").GetString(), Is.EqualTo("order.created"));
            Assert.That(body.RootElement.GetProperty("data").GetProperty("total").GetInt32(), Is.EqualTo(12));
            Assert.That(request.Headers["content-type"], Does.StartWith("application/json"));
            Assert.That(request.Headers["user-agent"], Does.StartWith("Webhooks.Core/"));
        });

        var detail = await host.WaitForMessageAsync(created.Webhook.Id, result.MessageIds[0], d => d.Message.Status == MessageStatus.Success, "success");
        Assert.That(detail.Attempts.Select(a => a.StatusCode), Is.EqualTo(new int?[] { 200 }));
    }

    [Test]
    public async Task Publish_SameEventIdTwice_CreatesNoNewMessage()
    {
        await using var host = await EngineHost.StartAsync();
        await host.CreateAsync();

        var first = await host.PublishAsync("evt_dup");
        var second = await host.PublishAsync("evt_dup");

        Assert.Multiple(() =>
        {
            Assert.That(first.MessageIds, Has.Count.EqualTo(1));
            Assert.That(second.MessageIds, Is.Empty);
            Assert.That(second.Duplicates, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task Publish_SameEventIdAfterAWebhookWasAdded_CreatesNoNewMessage_NorDoesATargetedPublish()
    {
        await using var host = await EngineHost.StartAsync();
        var first = (await host.CreateAsync("/first")).Webhook;
        var published = await host.PublishAsync("evt_retried");
        await host.CreateAsync("/second");

        var again = await host.PublishAsync("evt_retried");
        var targeted = await host.Publisher.PublishToAsync(first.Id, WebhookEvent.FromJson("evt_retried", "order.created", "{}"));

        Assert.Multiple(() =>
        {
            Assert.That(published.MessageIds, Has.Count.EqualTo(1));
            Assert.That((again.MessageIds.Count, again.Duplicates), Is.EqualTo((0, 2)), "the host retrying a publish after a crash");
            Assert.That((targeted.MessageIds.Count, targeted.Duplicates), Is.EqualTo((0, 1)));
        });
    }

    [Test]
    public async Task Publish_FailingEndpoint_RetriesWithExponentialSpacingUntilSuccess()
    {
        await using var host = await EngineHost.StartAsync();
        host.Receiver.Respond(r => host.Receiver.Requests.Count <= 3 ? ReceiverAnswer.Status(500) : ReceiverAnswer.Ok);
        var created = await host.CreateAsync();
        var id = (await host.PublishAsync("evt_retry")).MessageIds[0];

        foreach (var (attempts, delay) in new[] { (1, 5), (2, 10), (3, 20) })
        {
            var retrying = await host.WaitForMessageAsync(created.Webhook.Id, id, d => d.Attempts.Count == attempts && d.Message.Status == MessageStatus.Retrying, $"attempt {attempts} failed");
            Assert.That(retrying.Message.NextAttemptAt - retrying.Attempts[^1].Timestamp, Is.EqualTo(TimeSpan.FromSeconds(delay)));
            host.Time.Advance(TimeSpan.FromSeconds(delay));
        }

        var done = await host.WaitForMessageAsync(created.Webhook.Id, id, d => d.Message.Status == MessageStatus.Success, "success");
        var spacing = done.Attempts.Zip(done.Attempts.Skip(1), (a, b) => (b.Timestamp - a.Timestamp).TotalSeconds);
        Assert.Multiple(() =>
        {
            Assert.That(done.Attempts.Select(a => a.StatusCode), Is.EqualTo(new int?[] { 500, 500, 500, 200 }));
            Assert.That(spacing, Is.EqualTo(new double[] { 5, 10, 20 }));
            Assert.That(done.Message.AttemptCount, Is.EqualTo(4));
        });
    }

    [Test]
    public async Task Publish_EndpointAnswers429WithRetryAfter_NextAttemptHonoursIt()
    {
        await using var host = await EngineHost.StartAsync();
        host.Receiver.Respond(_ => ReceiverAnswer.RetryAfter(429, TimeSpan.FromSeconds(30)));
        var created = await host.CreateAsync();
        var id = (await host.PublishAsync("evt_429")).MessageIds[0];

        var detail = await host.WaitForMessageAsync(created.Webhook.Id, id, d => d.Message.Status == MessageStatus.Retrying, "retrying");

        Assert.That(detail.Message.NextAttemptAt - detail.Attempts[0].Timestamp, Is.EqualTo(TimeSpan.FromSeconds(30)));
    }

    [Test]
    public async Task Publish_EndpointAnswers503WithRetryAfterZero_RetriesOnTheSchedule()
    {
        await using var host = await EngineHost.StartAsync();
        host.Receiver.Respond(_ => ReceiverAnswer.RetryAfter(503, TimeSpan.Zero));
        var created = await host.CreateAsync();
        var id = (await host.PublishAsync("evt_503_now")).MessageIds[0];

        var detail = await host.WaitForMessageAsync(created.Webhook.Id, id, d => d.Message.Status == MessageStatus.Retrying, "retrying");

        // At once, every failure would come within milliseconds, and ten of them disable the webhook.
        Assert.That(detail.Message.NextAttemptAt - detail.Attempts[0].Timestamp, Is.EqualTo(TimeSpan.FromSeconds(5)));
    }

    [Test]
    public async Task Publish_EndpointNeverSucceeds_MessageFailsAtMaximumAgeOfTenDays()
    {
        await using var host = await EngineHost.StartAsync(o => o.Health.ErrorConsecutiveFailures = 1000);
        host.Receiver.Respond(_ => ReceiverAnswer.Status(503));
        var created = await host.CreateAsync();
        var id = (await host.PublishAsync("evt_expire")).MessageIds[0];

        var attempts = 1;
        DeliveryMessageDetail detail;
        while (true)
        {
            detail = await host.WaitForMessageAsync(created.Webhook.Id, id, d => d.Attempts.Count == attempts && d.Message.Status != MessageStatus.Created, $"attempt {attempts}");
            if (detail.Message.Status == MessageStatus.Failed)
            {
                break;
            }

            host.Time.Advance(detail.Message.NextAttemptAt!.Value - host.Time.GetUtcNow());
            attempts++;
        }

        await host.WaitForNotificationAsync(created.Webhook.Id, WebhookNotificationKind.MessageFailed);
        Assert.Multiple(() =>
        {
            // Retried until the maximum age, the last attempt at it, though the schedule's delays end a day long.
            Assert.That(detail.Attempts[^1].Timestamp - detail.Message.CreatedAt, Is.EqualTo(TimeSpan.FromDays(10)));
            Assert.That(detail.Attempts[^2].Timestamp - detail.Message.CreatedAt, Is.LessThan(TimeSpan.FromDays(10)));
            Assert.That(detail.Message.StatusReason, Is.EqualTo("Undeliverable: not delivered within 10 days."));
        });
    }

    [Test]
    public async Task Housekeeping_WebhookDeleted_ItsDispatcherStateIsDropped()
    {
        await using var host = await EngineHost.StartAsync();
        var kept = await host.CreateAsync("/kept");
        var deleted = await host.CreateAsync("/deleted");
        var messages = (await host.PublishAsync("evt_1")).MessageIds;
        foreach (var (webhook, message) in new[] { kept, deleted }.Zip(messages))
        {
            await host.WaitForMessageAsync(webhook.Webhook.Id, message, d => d.Message.Status == MessageStatus.Success, "delivered");
        }

        await host.HealthSettledAsync();
        var dispatcher = host.Host.Services.GetServices<IHostedService>().OfType<Webhooks.Core.Internal.WebhookDispatcher>().Single();
        Assert.That(dispatcher.TrackedWebhookCount, Is.EqualTo(2));

        await host.Endpoints.DeleteAsync(deleted.Webhook.Id);
        host.Time.Advance(new DispatcherOptions().HousekeepingInterval);

        await Eventually.HoldsAsync(() => Task.FromResult(dispatcher.TrackedWebhookCount == 1), () => $"tracked webhooks: {dispatcher.TrackedWebhookCount}");
        var again = (await host.PublishAsync("evt_2")).MessageIds.Single();
        await host.WaitForMessageAsync(kept.Webhook.Id, again, d => d.Message.Status == MessageStatus.Success, "delivered after housekeeping");
    }

    [Test]
    public async Task FailedAttempt_RetryDueBeforeTheNextPoll_IsMadeOnTime()
    {
        await using var host = await EngineHost.StartAsync(o =>
        {
            o.Dispatcher.PollInterval = TimeSpan.FromSeconds(20);
            o.Retry.Schedule = [TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2)];
        });
        host.Receiver.Respond(_ => ReceiverAnswer.Status(500));
        var webhook = (await host.CreateAsync()).Webhook;
        var id = (await host.PublishAsync("evt_soon")).MessageIds[0];
        var failed = await host.WaitForMessageAsync(webhook.Id, id, d => d.Message.Status == MessageStatus.Retrying, "first attempt failed");
        Assert.That(failed.Message.NextAttemptAt, Is.EqualTo(host.Time.GetUtcNow() + TimeSpan.FromSeconds(2)));
        host.Receiver.Respond(_ => ReceiverAnswer.Ok);

        host.Time.Advance(TimeSpan.FromSeconds(2));

        var done = await host.WaitForMessageAsync(webhook.Id, id, d => d.Message.Status == MessageStatus.Success, "retried at its time, not at the next poll");
        Assert.That(done.Attempts[1].Timestamp, Is.EqualTo(failed.Message.NextAttemptAt));
    }

    [Test]
    public async Task TwoRetriesDueBeforeTheNextPoll_EachIsMadeOnTime()
    {
        await using var host = await EngineHost.StartAsync(o =>
        {
            o.Dispatcher.PollInterval = TimeSpan.FromSeconds(20);
            o.Retry.Schedule = [TimeSpan.FromSeconds(2)];
        });
        host.Receiver.Respond(_ => ReceiverAnswer.Status(500));
        var webhook = (await host.CreateAsync()).Webhook;
        var earlyId = (await host.PublishAsync("evt_early")).MessageIds.Single();
        await host.WaitForMessageAsync(webhook.Id, earlyId, d => d.Message.Status == MessageStatus.Retrying, "first attempt failed");
        host.Time.Advance(TimeSpan.FromSeconds(1));
        var lateId = (await host.PublishAsync("evt_late")).MessageIds.Single();
        var lateFailed = await host.WaitForMessageAsync(webhook.Id, lateId, d => d.Message.Status == MessageStatus.Retrying, "first attempt failed");
        host.Receiver.Respond(_ => ReceiverAnswer.Ok);

        host.Time.Advance(TimeSpan.FromSeconds(1));
        await host.WaitForMessageAsync(webhook.Id, earlyId, d => d.Message.Status == MessageStatus.Success, "the earlier retry made at its time");
        host.Time.Advance(TimeSpan.FromSeconds(1));

        var done = await host.WaitForMessageAsync(webhook.Id, lateId, d => d.Message.Status == MessageStatus.Success, "the later retry made at its time, not at the next poll");
        Assert.That(done.Attempts[1].Timestamp, Is.EqualTo(lateFailed.Message.NextAttemptAt));
    }
}
