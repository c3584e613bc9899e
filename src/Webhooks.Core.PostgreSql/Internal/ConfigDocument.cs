namespace Webhooks.Core.PostgreSql.Internal;

/// <summary>The <c>body</c> column of a config: everything not queried by column. Headers and secret keys are protected.</summary>
internal sealed record ConfigDocument
{
    public string Name { get; init; } = string.Empty;

    public required string Url { get; init; }

    public IReadOnlyList<string> EventTypes { get; init; } = [];

    public string? EventFilter { get; init; }

    /// <summary>Gets the headers as a JSON object, protected; <see langword="null"/> when there are none.</summary>
    public string? Headers { get; init; }

    public IReadOnlyList<SecretDocument> Secrets { get; init; } = [];

    public string? StatusReason { get; init; }

    public VerificationMode VerificationMode { get; init; }

    public HealthDocument Health { get; init; } = new();

    /// <summary>Gets the owner's recent enables; absent from bodies written before it was kept.</summary>
    public IReadOnlyList<DateTimeOffset> EnabledAt { get; init; } = [];

    /// <summary>Gets when the webhook last claimed its tenant's default; absent from bodies written before it was kept.</summary>
    public DateTimeOffset? DefaultClaimedAt { get; init; }
}
