namespace Webhooks.Core;

/// <summary>What became of a leased message.</summary>
/// <param name="LeaseId">The lease presented.</param>
/// <param name="Message">The message with its new status, attempt count, next attempt time and last attempt.</param>
/// <param name="Attempt">The attempt to append to the log, or <see langword="null"/> when none was made (the message was held or expired).</param>
public sealed record MessageOutcome(Guid LeaseId, DeliveryMessage Message, DeliveryAttempt? Attempt)
{
    /// <summary>
    /// Gets the message as the caller read it when it decided the outcome, for an outcome that holds only while the
    /// message is still so: <see cref="IWebhookStore.CompleteIfUnchangedAsync"/> writes it only then. <see cref="IWebhookStore.CompleteAsync"/>
    /// does not look at it.
    /// </summary>
    /// <value>The default value is <see langword="null"/>: the outcome is written whatever changed.</value>
    public DeliveryMessage? Expected { get; init; }

    /// <summary>
    /// Throws unless every outcome has a message and none has an attempt: the guard of
    /// <see cref="IWebhookStore.CompleteIfUnchangedAsync"/>, for a store that implements it.
    /// </summary>
    /// <param name="outcomes">The outcomes given to the store.</param>
    /// <exception cref="ArgumentNullException"><paramref name="outcomes"/> or an outcome's message is null.</exception>
    /// <exception cref="ArgumentException">An outcome has an attempt, which <see cref="IWebhookStore.CompleteAsync"/> records.</exception>
    public static void ThrowIfInvalidUnattempted(IReadOnlyList<MessageOutcome> outcomes)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        for (var i = 0; i < outcomes.Count; i++)
        {
            ArgumentNullException.ThrowIfNull(outcomes[i]?.Message, nameof(outcomes));
            if (outcomes[i].Attempt is not null)
            {
                throw new ArgumentException(
                    $"Outcome {i} (message '{outcomes[i].Message.Id}') has an attempt: an attempt made is recorded whatever changed meanwhile, with CompleteAsync.",
                    nameof(outcomes));
            }
        }
    }
}
