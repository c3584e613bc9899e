namespace Webhooks.Core.AspNetCore.Internal;

/// <summary>One page of a listing, with the total number of matches.</summary>
/// <typeparam name="T">The item type.</typeparam>
internal sealed record PageResponse<T>(IReadOnlyList<T> Items, int Total, int Offset, int Limit);

/// <summary>
/// One page of a delivery log: a page of messages, and <see cref="Next"/>, the <c>after</c> of the page that follows
/// (<see langword="null"/> on the last page).
/// </summary>
internal sealed record MessagePageResponse(IReadOnlyList<MessageResponse> Items, int Total, int Offset, int Limit, string? Next);
