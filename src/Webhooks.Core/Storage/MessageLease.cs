namespace Webhooks.Core;

/// <summary>A message held by one dispatcher for one attempt.</summary>
/// <param name="Message">The message as it was when claimed.</param>
/// <param name="LeaseId">The lease; completions must present it.</param>
/// <param name="ExpiresAt">When the lease lapses and the message may be claimed again.</param>
public sealed record MessageLease(DeliveryMessage Message, Guid LeaseId, DateTimeOffset ExpiresAt);
