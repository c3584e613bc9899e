namespace Webhooks.Core;

/// <summary>What publishing one event did.</summary>
/// <param name="EventId">The event id.</param>
/// <param name="MessageIds">The messages created, one per matching webhook; empty when nothing matched or the event was a duplicate.</param>
/// <param name="Duplicates">How many matching webhooks got no message because the event id was published before (for this tenant).</param>
public sealed record PublishResult(string EventId, IReadOnlyList<string> MessageIds, int Duplicates);
