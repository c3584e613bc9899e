namespace Webhooks.Core.PostgreSql.Internal;

/// <summary>A signing secret as stored: the key is protected.</summary>
internal sealed record SecretDocument
{
    public required string Key { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? ExpiresAt { get; init; }
}
