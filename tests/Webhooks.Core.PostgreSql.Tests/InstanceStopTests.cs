using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Webhooks.Core.Testing;

namespace Webhooks.Core.PostgreSql.Tests;

/// <summary>
/// Two instances on one schema and one clock that only the test moves (no poll falls due): what one gives back as it
/// stops reaches the other at once, through a notification, not at its next poll.
/// </summary>
public sealed class InstanceStopTests : PostgreSqlHostTestBase
{
    // The stopping instance released the lease of the message it had claimed and not attempted (renewed to now), but
    // told no one: the other instance claimed it only at its next poll (5 s by default), never on this clock.
    [Test]
    public async Task StoppingWithAClaimedMessageNotAttempted_TheOtherInstanceClaimsItWithoutWaitingForItsPoll()
    {
        using var answer = new ManualResetEventSlim();
        Receiver.Respond(_ =>
        {
            answer.Wait(Timeout);
            return ReceiverAnswer.Ok;
        });

        // Two attempts at a time and one more claimed ahead: the third message waits, claimed, for a worker.
        var stopping = await StartHostAsync(
            o => (o.Dispatcher.MaxConcurrency, o.Dispatcher.MaxConcurrencyPerWebhook) = (2, 2),
            engine =>
            {
                engine.Services.AddSingleton<TimeProvider>(Time);
                engine.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromMilliseconds(500));
            });
        await stopping.Services.GetRequiredService<IWebhookEndpoints>().CreateAsync(
            new WebhookDefinition { Name = "orders", Url = Receiver.UrlFor("/orders"), EventTypes = ["order.*"], VerificationMode = VerificationMode.None });
        var publisher = stopping.Services.GetRequiredService<IWebhookPublisher>();
        for (var i = 0; i < 3; i++)
        {
            await publisher.PublishAsync(WebhookEvent.FromJson($"evt-{i}", "order.created", "{}"));
        }

        await WaitUntilAsync(
            async () => Receiver.Requests.Count == 2
                && await PostgreSqlTestDatabase.ScalarAsync<long>($"SELECT count(*) FROM \"{Schema}\".messages WHERE lease_id IS NOT NULL") == 3,
            "two attempts are under way and the third message is claimed");

        var other = await StartHostAsync(webhooks: engine => engine.Services.AddSingleton<TimeProvider>(Time));
        await other.Services.GetRequiredService<PostgreSqlWebhookStore>().WaitUntilListeningAsync(Timeout);

        // The attempts under way outlast the shutdown timeout and are aborted (their leases lapse, on a clock that does
        // not move); the claimed message was not started, and is given back.
        await stopping.StopAsync();
        answer.Set();

        await WaitUntilAsync(
            () => Task.FromResult(Receiver.Requests.Select(r => r.Headers["webhook-id"]).Distinct().Count() == 3),
            "the other instance sends the message given back");
    }
}
