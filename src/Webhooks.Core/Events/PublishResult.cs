namespace Webhooks.Core;

/// <summary>What publishing one event did.</summary>
/// <param name="EventId">The event id.</param>
/// <param name="MessageIds">The messages created, one per matching webhook; empty when nothing matched or the event was a duplicate.</param>
/// <param name="Duplicates">How many matching webhooks already had a message for this event id.</param>
public sealed record PublishResult(string EventId, IReadOnlyList<string> MessageIds, int Duplicates);
