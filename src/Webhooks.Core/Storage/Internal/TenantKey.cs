namespace Webhooks.Core.Internal;

/// <summary>A tenant as a dictionary key; <see langword="null"/> stands for the default tenant.</summary>
/// <param name="Id">The tenant id.</param>
internal readonly record struct TenantKey(string? Id);
