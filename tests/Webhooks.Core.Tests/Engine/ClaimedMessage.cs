using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Webhooks.Core.Testing;

namespace Webhooks.Core.Tests.Engine;

/// <summary>
/// A host (receiver answering 200) whose store holds one message, Retrying and due now, for a webhook of its own; the
/// first claim that takes the message runs a test's change as it returns, before the dispatcher looks at the message.
/// The test wakes the claim with <see cref="PublishAsync"/>.
/// </summary>
internal sealed class ClaimedMessage : IAsyncDisposable
{
    public const string Id = "msg_claimed";

    private int _claims;

    private ClaimedMessage()
    {
    }

    public EngineHost Host { get; private set; } = null!;

    public string WebhookId { get; private set; } = null!;

    /// <summary>Gets how many claims took the message.</summary>
    public int Claims => Volatile.Read(ref _claims);

    public string? WakeId { get; private set; }

    /// <summary>
    /// Starts the host. <paramref name="prepare"/> runs once the webhook exists (given the host and its id), before the
    /// message is stored; <paramref name="userChange"/> gets the host, the store under the interception and the webhook id.
    /// </summary>
    public static async Task<ClaimedMessage> StartAsync(
        TimeSpan createdAgo, int attemptCount, Func<EngineHost, IWebhookStore, string, Task> userChange, Func<EngineHost, string, Task>? prepare = null)
    {
        var claimed = new ClaimedMessage();
        var inner = new InMemoryWebhookStore();
        var store = InterceptedStore.Create(inner, (_, _) => { }, (method, _, result) =>
        {
            if (method == nameof(IWebhookStore.ClaimDueAsync)
                && ((ValueTask<IReadOnlyList<MessageLease>>)result!).Result.Any(l => l.Message.Id == Id)
                && Interlocked.Increment(ref claimed._claims) == 1)
            {
                // The in-memory store completes at once: the change is stored before the claim returns.
                userChange(claimed.Host, inner, claimed.WebhookId).GetAwaiter().GetResult();
            }
        });
        claimed.Host = await EngineHost.StartAsync(services: s => s.Replace(ServiceDescriptor.Singleton(store)));
        claimed.Host.Receiver.Respond(_ => ReceiverAnswer.Ok);
        claimed.WebhookId = (await claimed.Host.CreateAsync()).Webhook.Id;
        if (prepare is not null)
        {
            await prepare(claimed.Host, claimed.WebhookId);
        }

        await store.EnqueueAsync(
            [
                new DeliveryMessage
                {
                    Id = Id, WebhookId = claimed.WebhookId, EventId = "evt_claimed", EventType = "order.created", Payload = "{}"u8.ToArray(),
                    Status = MessageStatus.Retrying, AttemptCount = attemptCount, CreatedAt = EngineHost.Start - createdAgo, NextAttemptAt = EngineHost.Start,
                },
            ],
            CancellationToken.None);
        return claimed;
    }

    /// <summary>Publishes an event, which wakes the dispatcher: it claims the message (with the new one, where one is made).</summary>
    public async Task PublishAsync() => WakeId = (await Host.PublishAsync("evt_wake")).MessageIds.FirstOrDefault();

    public Task<DeliveryMessageDetail> WaitAsync(Func<DeliveryMessageDetail, bool> condition, string what) =>
        Host.WaitForMessageAsync(WebhookId, Id, condition, what);

    public ValueTask DisposeAsync() => Host.DisposeAsync();
}
