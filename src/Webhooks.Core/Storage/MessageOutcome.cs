namespace Webhooks.Core;

/// <summary>What became of a leased message.</summary>
/// <param name="LeaseId">The lease presented.</param>
/// <param name="Message">The message with its new status, attempt count, next attempt time and last attempt.</param>
/// <param name="Attempt">The attempt to append to the log, or <see langword="null"/> when none was made (the message was held or expired).</param>
public sealed record MessageOutcome(Guid LeaseId, DeliveryMessage Message, DeliveryAttempt? Attempt);
