namespace Webhooks.Core.Internal;

/// <summary>
/// A message as the in-memory store keeps it: the current immutable message, its attempts, its lease and where
/// the indexes hold it. Mutated only under the store's message lock.
/// </summary>
/// <param name="message">The message as enqueued.</param>
internal sealed class MessageEntry(DeliveryMessage message)
{
    /// <summary>Gets or sets the current message.</summary>
    public DeliveryMessage Message { get; set; } = message;

    // Most messages are attempted once: the first attempt is kept inline, later ones in a list made for them.
    private DeliveryAttempt? _firstAttempt;
    private List<DeliveryAttempt>? _laterAttempts;

    /// <summary>Gets or sets the current lease, or <see cref="Guid.Empty"/> when none is held.</summary>
    public Guid LeaseId { get; set; }

    /// <summary>Gets or sets when the current lease expires, in UTC ticks.</summary>
    public long LeaseExpiresAt { get; set; }

    /// <summary>
    /// Gets or sets the version of the entry's place in the due index; queue items carrying another version are stale
    /// and are dropped when they surface.
    /// </summary>
    public int Version { get; set; }

    /// <summary>Gets or sets which index holds the entry.</summary>
    public MessagePlacement Placement { get; set; }

    /// <summary>
    /// Gets or sets the entry's place among finished messages for bounded retention: 0 while it is not finished (or
    /// not counted), -1 while it is being evicted.
    /// </summary>
    public long FinishedSequence { get; set; }

    /// <summary>Gets a value indicating whether a lease is held.</summary>
    public bool IsLeased => LeaseId != Guid.Empty;

    /// <summary>Records an attempt after the ones recorded before.</summary>
    public void AddAttempt(DeliveryAttempt attempt)
    {
        if (_firstAttempt is null)
        {
            _firstAttempt = attempt;
        }
        else
        {
            (_laterAttempts ??= []).Add(attempt);
        }
    }

    /// <summary>Copies the attempts, oldest first.</summary>
    public DeliveryAttempt[] CopyAttempts() =>
        _firstAttempt is null ? [] : _laterAttempts is null ? [_firstAttempt] : [_firstAttempt, .. _laterAttempts];
}
