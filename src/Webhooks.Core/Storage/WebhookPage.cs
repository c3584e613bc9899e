namespace Webhooks.Core;

/// <summary>One page of a listing.</summary>
/// <typeparam name="T">The item type.</typeparam>
/// <param name="Items">The items of the page.</param>
/// <param name="Total">How many items match in all.</param>
/// <param name="Offset">How many matching items come before this page.</param>
/// <param name="Limit">The page size asked for.</param>
public sealed record WebhookPage<T>(IReadOnlyList<T> Items, int Total, int Offset, int Limit);
