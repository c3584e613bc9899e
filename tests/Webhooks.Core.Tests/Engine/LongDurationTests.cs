using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Webhooks.Core.Testing;

namespace Webhooks.Core.Tests.Engine;

/// <summary>
/// Durations up to their bounds work, and past them stop the start naming the option, its value and its range: none
/// is accepted at start only to fail each delivery or overflow in the dispatcher later.
/// </summary>
public sealed class LongDurationTests
{
    // An Http.Timeout over 24.8 days (int.MaxValue ms, what SocketsHttpHandler.ConnectTimeout takes) passed the 49-day
    // timer bound, and every delivery then failed with "Specified argument was out of the range of valid values".
    [TestCase(1, 1)]
    [TestCase(30, 0)]
    [TestCase(48, 0)]
    public void Start_HttpTimeoutBeyondADay_FailsNamingItsValueAndRange(int days, int seconds)
    {
        var timeout = TimeSpan.FromDays(days) + TimeSpan.FromSeconds(seconds);
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddWebhooks(o =>
        {
            o.Http.Timeout = timeout;
            o.Dispatcher.LeaseDuration = TimeSpan.FromDays(49);
        });
        using var host = builder.Build();

        var error = Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.That(error!.Message, Does.Contain($"Http.Timeout ({timeout}) must be more than zero and at most 1 day."));
    }

    [Test]
    public async Task Delivery_HttpTimeoutOfADay_Delivers()
    {
        await using var host = await EngineHost.StartAsync(static o =>
        {
            o.Http.Timeout = TimeSpan.FromDays(1);
            o.Dispatcher.LeaseDuration = TimeSpan.FromDays(2);
        });
        var webhook = (await host.CreateAsync()).Webhook;

        var id = (await host.PublishAsync("evt_patient")).MessageIds[0];

        var delivered = await host.WaitForMessageAsync(webhook.Id, id, static d => d.Message.Status != MessageStatus.Created, "attempted");
        Assert.That((delivered.Message.Status, delivered.Attempts[0].Error), Is.EqualTo((MessageStatus.Success, (string?)null)));
    }

    // Retry.MaxAge, its delays and MaxRetryAfter may be as long as TimeSpan allows: the retry waits until the calendar's
    // end, and the dispatcher goes on delivering the others (and housekeeping runs) without an overflow.
    [TestCase("Retry.Schedule")]
    [TestCase("Retry.BaseDelay")]
    [TestCase("Retry.MaxRetryAfter")]
    public async Task Delivery_RetryDelayAsLongAsTimeSpanAllows_WaitsUntilTheCalendarsEndAndTheOthersAreDelivered(string option)
    {
        await using var host = await EngineHost.StartAsync(o =>
        {
            o.Retry.MaxAge = TimeSpan.MaxValue;
            switch (option)
            {
                case "Retry.Schedule": o.Retry.Schedule = [TimeSpan.MaxValue]; break;
                case "Retry.BaseDelay": (o.Retry.BaseDelay, o.Retry.MaxDelay) = (TimeSpan.MaxValue, TimeSpan.MaxValue); break;
                default: (o.Retry.MaxRetryAfter, o.Retry.Schedule) = (TimeSpan.MaxValue, [TimeSpan.FromSeconds(5)]); break;
            }
        });
        host.Receiver.Respond(r => r.Path != "/down" ? ReceiverAnswer.Ok
            : option == "Retry.MaxRetryAfter" ? ReceiverAnswer.RetryAfter(503, DateTimeOffset.MaxValue)
            : ReceiverAnswer.Status(500));
        var down = (await host.CreateAsync("/down", static d => d with { EventTypes = ["order.created"] })).Webhook;
        var id = (await host.PublishAsync("evt_later")).MessageIds[0];

        var waiting = await host.WaitForMessageAsync(down.Id, id, static d => d.Message.Status == MessageStatus.Retrying, "first attempt failed");
        var up = (await host.CreateAsync("/up", static d => d with { EventTypes = ["order.shipped"] })).Webhook;
        host.Time.Advance(new DispatcherOptions().HousekeepingInterval);
        var next = (await host.PublishAsync("evt_next", "order.shipped")).MessageIds.Single();

        Assert.That(waiting.Message.NextAttemptAt, Is.GreaterThanOrEqualTo(DateTimeOffset.MaxValue.AddSeconds(-1)));
        await host.WaitForMessageAsync(up.Id, next, static d => d.Message.Status == MessageStatus.Success, "delivered");
    }
}
