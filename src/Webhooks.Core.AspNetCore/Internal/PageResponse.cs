namespace Webhooks.Core.AspNetCore.Internal;

/// <summary>
/// One page of a tenant's webhooks, with the total number of matches and <see cref="Next"/>, the <c>after</c> of the
/// page that follows (<see langword="null"/> on the last page).
/// </summary>
internal sealed record WebhookPageResponse(IReadOnlyList<WebhookResponse> Items, int Total, int Offset, int Limit, string? Next);

/// <summary>
/// One page of a delivery log: a page of messages, and <see cref="Next"/>, the <c>after</c> of the page that follows
/// (<see langword="null"/> on the last page).
/// </summary>
internal sealed record MessagePageResponse(IReadOnlyList<MessageResponse> Items, int Total, int Offset, int Limit, string? Next);
