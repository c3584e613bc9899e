namespace Webhooks.Core;

/// <summary>
/// A place in a webhook's delivery log: the creation time and id of a message. The log is ordered newest first, ties by
/// id from the last (compared ordinally), so a position is the cursor of a page: <see cref="MessageQuery.After"/> lists
/// what comes after it, whatever was added before it since, and whether or not its message is still stored.
/// </summary>
public sealed record MessageLogPosition
{
    /// <summary>Initializes a new instance of the <see cref="MessageLogPosition"/> class.</summary>
    /// <param name="createdAt">The message's creation time.</param>
    /// <param name="messageId">The message's id.</param>
    public MessageLogPosition(DateTimeOffset createdAt, string messageId)
    {
        ArgumentNullException.ThrowIfNull(messageId);
        CreatedAt = createdAt;
        MessageId = messageId;
    }

    /// <summary>Gets the message's creation time.</summary>
    public DateTimeOffset CreatedAt { get; }

    /// <summary>Gets the message's id.</summary>
    public string MessageId { get; }

    /// <summary>Returns the position of <paramref name="message"/> in its webhook's log.</summary>
    /// <param name="message">The message.</param>
    public static MessageLogPosition Of(DeliveryMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return new MessageLogPosition(message.CreatedAt, message.Id);
    }

    /// <summary>
    /// Returns whether <paramref name="message"/> comes after this position in the log's order: created earlier, or at
    /// the same time with an id that compares ordinally lower.
    /// </summary>
    /// <param name="message">The message.</param>
    public bool Precedes(DeliveryMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var byTime = message.CreatedAt.CompareTo(CreatedAt);
        return byTime < 0 || (byTime == 0 && string.CompareOrdinal(message.Id, MessageId) < 0);
    }
}
