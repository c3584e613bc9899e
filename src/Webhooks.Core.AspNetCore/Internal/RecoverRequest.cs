namespace Webhooks.Core.AspNetCore.Internal;

/// <summary>The body of <c>POST {prefix}/{id}/recover</c> as OpenAPI documents it.</summary>
/// <param name="Since">The earliest creation time of the failed messages to re-queue (RFC 3339).</param>
internal sealed record RecoverRequest(DateTimeOffset Since);
