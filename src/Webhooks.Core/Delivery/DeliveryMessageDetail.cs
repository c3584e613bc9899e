namespace Webhooks.Core;

/// <summary>A message with all its attempts, oldest first.</summary>
/// <param name="Message">The message.</param>
/// <param name="Attempts">The attempts.</param>
public sealed record DeliveryMessageDetail(DeliveryMessage Message, IReadOnlyList<DeliveryAttempt> Attempts);
