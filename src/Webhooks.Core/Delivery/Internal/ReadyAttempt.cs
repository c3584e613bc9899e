namespace Webhooks.Core.Internal;

/// <summary>
/// A claimed attempt waiting for a worker, with the webhook as read when it was claimed, and how many changes this
/// process had made before the claim.
/// </summary>
internal readonly record struct ReadyAttempt(MessageLease Lease, WebhookConfig Config, long ChangesAtClaim);
