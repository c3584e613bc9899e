namespace Webhooks.Core.Internal;

/// <summary>A published event: its tenant (<see langword="null"/> for the default one) and its id, the idempotency key.</summary>
/// <param name="TenantId">The tenant id.</param>
/// <param name="EventId">The event id.</param>
internal readonly record struct EventKey(string? TenantId, string EventId)
{
    public static EventKey Of(DeliveryMessage message) => new(message.TenantId, message.EventId);
}
