namespace Webhooks.Core;

/// <summary>Filters and paging for a webhook's delivery log.</summary>
public sealed record MessageQuery
{
    /// <summary>Gets the webhook whose messages are listed.</summary>
    public required string WebhookId { get; init; }

    /// <summary>Gets the status to match, or <see langword="null"/> for any.</summary>
    public MessageStatus? Status { get; init; }

    /// <summary>Gets the event type to match exactly, or <see langword="null"/> for any.</summary>
    public string? EventType { get; init; }

    /// <summary>Gets the earliest creation time, inclusive.</summary>
    public DateTimeOffset? CreatedFrom { get; init; }

    /// <summary>Gets the latest creation time, exclusive.</summary>
    public DateTimeOffset? CreatedTo { get; init; }

    /// <summary>
    /// Gets the place in the log to list from, or <see langword="null"/> to list from the newest message. Only messages
    /// that come after it (see <see cref="MessageLogPosition.Precedes"/>) match, so the position of a page's last
    /// message gives the next page: unlike <see cref="Offset"/>, it neither repeats nor skips messages when new ones
    /// arrive between the two reads. <see cref="Offset"/> still applies, counted from the position.
    /// </summary>
    public MessageLogPosition? After { get; init; }

    /// <summary>Gets how many matching messages to skip. The default value is 0.</summary>
    public int Offset { get; init; }

    /// <summary>Gets the page size. The default value is 50.</summary>
    public int Limit { get; init; } = 50;

    /// <summary>Returns whether <paramref name="message"/> matches the filters and comes after <see cref="After"/> (offset and limit aside).</summary>
    /// <param name="message">The message.</param>
    public bool Matches(DeliveryMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return string.Equals(message.WebhookId, WebhookId, StringComparison.Ordinal)
            && (Status is not { } status || message.Status == status)
            && (EventType is null || string.Equals(message.EventType, EventType, StringComparison.Ordinal))
            && (CreatedFrom is not { } from || message.CreatedAt >= from)
            && (CreatedTo is not { } to || message.CreatedAt < to)
            && (After is not { } after || after.Precedes(message));
    }
}
