using System.Reflection;
using System.Text;
using NUnit.Framework;

namespace Webhooks.Core.Testing;

/// <content>Test data and short forms of store calls, all at explicit times.</content>
public abstract partial class WebhookStoreConformanceTests
{
    private static readonly DateTimeOffset BaseTime = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan LeaseDuration = TimeSpan.FromMinutes(5);
    private static readonly CancellationToken None = CancellationToken.None;

    /// <summary>Returns the time <paramref name="seconds"/> after the base time of the suite.</summary>
    private static DateTimeOffset At(int seconds) => BaseTime.AddSeconds(seconds);

    private static WebhookConfig NewConfig(string id, string? tenantId = null, int createdAt = 0) => new()
    {
        Id = id,
        TenantId = tenantId,
        Name = "Webhook " + id,
        Url = "https://receiver.example/hooks/" + id,
        EventTypes = ["order.*"],
        State = WebhookState.Enabled,
        Status = WebhookStatus.Active,
        CreatedAt = At(createdAt),
        UpdatedAt = At(createdAt),
        Generation = 1,
    };

    /// <summary>A new message, due at <paramref name="dueAt"/>; make it held with <c>with { NextAttemptAt = null }</c>.</summary>
    private static DeliveryMessage NewMessage(string id, string webhookId, int dueAt = 0, int createdAt = 0) => new()
    {
        Id = id,
        WebhookId = webhookId,
        EventId = "evt-" + id,
        EventType = "order.created",
        Payload = Encoding.UTF8.GetBytes($$$"""{"type":"order.created","data":{"id":"{{{id}}}"}}"""),
        CreatedAt = At(createdAt),
        NextAttemptAt = At(dueAt),
    };

    /// <summary>The outcome of an attempt made at <paramref name="at"/>: success on 2xx, else a retry at <paramref name="retryAt"/> or, without one, failure.</summary>
    private static MessageOutcome Attempted(MessageLease lease, int at, int statusCode, int? retryAt = null)
    {
        var attempt = new DeliveryAttempt
        {
            Number = lease.Message.AttemptCount + 1,
            Timestamp = At(at),
            Url = "https://receiver.example/hooks/" + lease.Message.WebhookId,
            StatusCode = statusCode,
            Duration = TimeSpan.FromMilliseconds(120),
            ResponseBody = "answer " + statusCode,
            Error = statusCode is >= 200 and < 300 ? null : "HTTP " + statusCode,
        };
        var status = attempt.Succeeded ? MessageStatus.Success : retryAt is null ? MessageStatus.Failed : MessageStatus.Retrying;
        var message = lease.Message with
        {
            Status = status,
            AttemptCount = attempt.Number,
            NextAttemptAt = retryAt is { } retry ? At(retry) : null,
            LastAttempt = attempt,
        };
        return new MessageOutcome(lease.LeaseId, message, attempt);
    }

    private async Task AddConfigsAsync(params WebhookConfig[] configs)
    {
        foreach (var config in configs)
        {
            await Store.AddConfigAsync(config, None);
        }
    }

    /// <summary>Adds configs with the given ids in the default tenant, so messages can be enqueued for them.</summary>
    private Task AddWebhooksAsync(params string[] ids) => AddConfigsAsync([.. ids.Select(id => NewConfig(id))]);

    private async Task<IReadOnlyList<string>> EnqueueAsync(params DeliveryMessage[] messages) =>
        await Store.EnqueueAsync(messages, None);

    private async Task<IReadOnlyList<MessageLease>> ClaimAsync(int now, int maxCount = 100) =>
        await Store.ClaimDueAsync(At(now), maxCount, LeaseDuration, None);

    private async Task<MessageLease> ClaimOneAsync(int now)
    {
        var leases = await ClaimAsync(now, 1);
        Assert.That(leases, Has.Count.EqualTo(1), $"one message should be due at {now} s");
        return leases[0];
    }

    /// <summary>Stores message m-1 of wh-1, claims it at <paramref name="at"/>, and cancels it while it is leased (the user, during its attempt).</summary>
    private async Task<(MessageLease Lease, DeliveryMessage Cancelled)> ClaimThenCancelAsync(int at = 0)
    {
        await EnqueueAsync(NewMessage("m-1", "wh-1", createdAt: at));
        var lease = await ClaimOneAsync(at);
        return (lease, (await Store.UpdateMessageAsync("m-1", MessageLifecycle.Cancel, None))!);
    }

    private async Task<int> CompleteAsync(params MessageOutcome[] outcomes) =>
        await Store.CompleteAsync(outcomes, None);

    private async Task<DeliveryMessage> GetMessageAsync(string id) =>
        await Store.GetMessageAsync(id, None) ?? throw new AssertionException($"Message '{id}' is not stored.");

    private static string[] Ids(IEnumerable<MessageLease> leases) => [.. leases.Select(lease => lease.Message.Id)];

    private static string[] Ids(IEnumerable<DeliveryMessage> messages) => [.. messages.Select(message => message.Id)];

    private static string[] Ids(IEnumerable<WebhookConfig> configs) => [.. configs.Select(config => config.Id)];

    private static void AssertSameMessage(DeliveryMessage? actual, DeliveryMessage expected) => AssertSameProperties(actual, expected, expected.Id);

    private static void AssertSameConfig(WebhookConfig? actual, WebhookConfig expected) => AssertSameProperties(actual, expected, expected.Id);

    /// <summary>
    /// Compares every public property, so a field added to the model is checked without changing the suite: bytes by
    /// content, dictionaries in any order, other collections element by element.
    /// </summary>
    private static void AssertSameProperties<T>(T? actual, T expected, string id)
        where T : class
    {
        Assert.That(actual, Is.Not.Null, $"{typeof(T).Name} '{id}'");
        Assert.Multiple(() =>
        {
            foreach (var property in typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                var (actualValue, expectedValue) = (property.GetValue(actual), property.GetValue(expected));
                var message = $"{typeof(T).Name} '{id}': {property.Name}";
                if (expectedValue is ReadOnlyMemory<byte> bytes)
                {
                    Assert.That(((ReadOnlyMemory<byte>)actualValue!).ToArray(), Is.EqualTo(bytes.ToArray()), message);
                }
                else if (expectedValue is IEnumerable<KeyValuePair<string, string>> pairs)
                {
                    Assert.That(actualValue, Is.EquivalentTo(pairs), message);
                }
                else
                {
                    Assert.That(actualValue, Is.EqualTo(expectedValue), message);
                }
            }
        });
    }
}
