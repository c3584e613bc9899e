namespace Webhooks.Core.AspNetCore.Internal;

/// <summary>One page of a listing, with the total number of matches.</summary>
/// <typeparam name="T">The item type.</typeparam>
internal sealed record PageResponse<T>(IReadOnlyList<T> Items, int Total, int Offset, int Limit);
