namespace Webhooks.Core;

/// <summary>One event on its way to one webhook.</summary>
public sealed record DeliveryMessage
{
    /// <summary>Gets the message id, sent as <c>webhook-id</c>.</summary>
    public required string Id { get; init; }

    /// <summary>Gets the webhook the message goes to.</summary>
    public required string WebhookId { get; init; }

    /// <summary>Gets the tenant of the event.</summary>
    public string? TenantId { get; init; }

    /// <summary>Gets the id of the event.</summary>
    public required string EventId { get; init; }

    /// <summary>Gets the type of the event.</summary>
    public required string EventType { get; init; }

    /// <summary>Gets the exact bytes signed and sent on every attempt.</summary>
    public ReadOnlyMemory<byte> Payload { get; init; }

    /// <summary>Gets the delivery status.</summary>
    public MessageStatus Status { get; init; } = MessageStatus.Created;

    /// <summary>Gets why the message has its status, when that needs saying (for example "Message expired after 10 days.").</summary>
    public string? StatusReason { get; init; }

    /// <summary>Gets how many attempts were made.</summary>
    public int AttemptCount { get; init; }

    /// <summary>Gets when the next attempt is due; <see langword="null"/> while the message is finished or held.</summary>
    public DateTimeOffset? NextAttemptAt { get; init; }

    /// <summary>Gets when the message was created.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Gets the most recent attempt.</summary>
    public DeliveryAttempt? LastAttempt { get; init; }

    /// <summary>Gets a value indicating whether no more attempts will be made.</summary>
    public bool IsFinished => Status is MessageStatus.Success or MessageStatus.Failed or MessageStatus.Cancelled;

    /// <summary>
    /// Gets a value indicating whether this message is where <paramref name="other"/> was in its delivery: the same
    /// status, status reason, attempt count and next attempt time (a retry or a cancel changes one of them).
    /// </summary>
    internal bool HasDeliveryStateOf(DeliveryMessage other) =>
        ReferenceEquals(this, other)
        || (Status == other.Status
            && AttemptCount == other.AttemptCount
            && NextAttemptAt == other.NextAttemptAt
            && string.Equals(StatusReason, other.StatusReason, StringComparison.Ordinal));
}
