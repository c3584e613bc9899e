using System.Reflection;
using System.Runtime.ExceptionServices;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Webhooks.Core.PostgreSql.Tests;

/// <summary>
/// Two instances on one schema: one dispatches, the other serves the user's changes. A retry made on the second just
/// after the first claimed the message is not written over by what the first decided from the message as claimed.
/// </summary>
public sealed class ClaimedChangeTests : PostgreSqlHostTestBase
{
    private const string MessageId = "msg_claimed";

    // The dispatcher claimed a message past its maximum age and expired it: the retry the other instance had stored
    // meanwhile (Retrying, due now) was written over, and the message failed unattempted.
    [Test]
    public async Task RetriedOnTheOtherInstanceJustAfterTheClaimThatExpiresIt_IsAttemptedNotExpired()
    {
        var (dispatcher, webhookId) = await StartInstancesAsync(createdAgo: TimeSpan.FromDays(11), disable: false);

        var delivered = await WaitForMessageAsync(dispatcher, webhookId, m => m.IsFinished, "finished");

        Assert.That((delivered.Status, delivered.AttemptCount), Is.EqualTo((MessageStatus.Success, 2)), delivered.StatusReason);
        Assert.That(Receiver.Requests.Select(r => r.Headers["webhook-id"]), Is.EqualTo(new[] { MessageId }));
    }

    // The dispatcher claimed a message of a disabled webhook and held it: the retry the other instance had stored
    // meanwhile lost its reason, which lets the attempt the user asked for be made past the maximum age.
    [Test]
    public async Task RetriedOnTheOtherInstanceJustAfterTheClaimThatHoldsIt_HeldKeepingTheRetryRequest()
    {
        var (dispatcher, webhookId) = await StartInstancesAsync(createdAgo: TimeSpan.FromHours(1), disable: true);

        var held = await WaitForMessageAsync(dispatcher, webhookId, m => m.NextAttemptAt is null, "held");

        Assert.That((held.Status, held.StatusReason, held.AttemptCount), Is.EqualTo((MessageStatus.Retrying, MessageLifecycle.RetryRequestedReason, 1)));
    }

    /// <summary>
    /// Starts a management instance (no dispatcher) with a webhook, stores a message for it Retrying after one attempt,
    /// created <paramref name="createdAgo"/> and due now, and starts a dispatching instance whose claim of that message
    /// waits, as it returns, for the management instance to retry the message.
    /// </summary>
    private async Task<(IHost Dispatcher, string WebhookId)> StartInstancesAsync(TimeSpan createdAgo, bool disable)
    {
        var management = await StartHostAsync(o => o.Dispatcher.Enabled = false);
        var endpoints = management.Services.GetRequiredService<IWebhookEndpoints>();
        var webhookId = (await endpoints.CreateAsync(
            new WebhookDefinition { Name = "orders", Url = Receiver.UrlFor("/orders"), EventTypes = ["order.*"] })).Webhook.Id;
        if (disable)
        {
            await endpoints.UpdateAsync(webhookId, new WebhookUpdate { State = WebhookState.Disabled });
        }

        var now = TimeProvider.System.GetUtcNow();
        await CreateStore().EnqueueAsync(
            [
                new DeliveryMessage
                {
                    Id = MessageId, WebhookId = webhookId, EventId = "evt_claimed", EventType = "order.created", Payload = "{}"u8.ToArray(),
                    Status = MessageStatus.Retrying, AttemptCount = 1, CreatedAt = now - createdAgo, NextAttemptAt = now,
                },
            ],
            Timeout);

        var log = management.Services.GetRequiredService<IDeliveryLog>();
        var dispatcher = await StartHostAsync(
            o => o.Dispatcher.PollInterval = TimeSpan.FromMilliseconds(50),
            w => w.Services.Replace(ServiceDescriptor.Singleton<IWebhookStore>(
                sp => ClaimHookStore.Create(sp.GetRequiredService<PostgreSqlWebhookStore>(), MessageId, () => log.RetryAsync(webhookId, MessageId)))));
        return (dispatcher, webhookId);
    }

    private static async Task<DeliveryMessage> WaitForMessageAsync(IHost host, string webhookId, Func<DeliveryMessage, bool> condition, string what)
    {
        var store = host.Services.GetRequiredService<IWebhookStore>();
        var hook = (ClaimHookStore)(object)store;
        DeliveryMessage? last = null;
        await WaitUntilAsync(
            async () => hook.Claims > 0 && (last = await store.GetMessageAsync(MessageId, Timeout)) is { } message && condition(message),
            $"message {MessageId} of {webhookId} is {what} after the retry");
        Assert.That(hook.Claims, Is.EqualTo(1), "the message was claimed once");
        return last!;
    }

    /// <summary>An <see cref="IWebhookStore"/> whose first claim that takes a given message runs a test's step before it returns.</summary>
    public class ClaimHookStore : DispatchProxy
    {
        private IWebhookStore _inner = null!;
        private string _messageId = null!;
        private Func<Task> _afterClaim = null!;
        private int _claims;

        public int Claims => Volatile.Read(ref _claims);

        public static IWebhookStore Create(IWebhookStore inner, string messageId, Func<Task> afterClaim)
        {
            var store = Create<IWebhookStore, ClaimHookStore>();
            var proxy = (ClaimHookStore)(object)store;
            (proxy._inner, proxy._messageId, proxy._afterClaim) = (inner, messageId, afterClaim);
            return store;
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            try
            {
                var result = targetMethod!.Invoke(_inner, args);
                return targetMethod.Name == nameof(IWebhookStore.ClaimDueAsync) ? AfterClaimAsync((ValueTask<IReadOnlyList<MessageLease>>)result!) : result;
            }
            catch (TargetInvocationException ex) when (ex.InnerException is not null)
            {
                ExceptionDispatchInfo.Throw(ex.InnerException);
                throw;
            }
        }

        private async ValueTask<IReadOnlyList<MessageLease>> AfterClaimAsync(ValueTask<IReadOnlyList<MessageLease>> claim)
        {
            var leases = await claim;
            if (leases.Any(l => l.Message.Id == _messageId) && Interlocked.Increment(ref _claims) == 1)
            {
                await _afterClaim();
            }

            return leases;
        }
    }
}
