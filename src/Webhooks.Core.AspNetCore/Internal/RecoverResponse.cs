namespace Webhooks.Core.AspNetCore.Internal;

/// <summary>The answer to a recover request.</summary>
/// <param name="Recovered">How many failed messages were re-queued.</param>
internal sealed record RecoverResponse(int Recovered);
