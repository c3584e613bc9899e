using System.Security.Cryptography;
using System.Text;

namespace Webhooks.Core;

/// <summary>A signing secret of a webhook.</summary>
public sealed record WebhookSecret
{
    /// <summary>The prefix of Standard Webhooks secrets.</summary>
    public const string Prefix = "whsec_";

    /// <summary>Gets the secret, <c>whsec_</c> followed by base64 of the key bytes.</summary>
    public required string Key { get; init; }

    /// <summary>Gets when the secret was created.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Gets when the secret stops signing; <see langword="null"/> while it is primary.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>Returns whether the secret signs at <paramref name="now"/>.</summary>
    /// <param name="now">The time of the attempt.</param>
    public bool IsValidAt(DateTimeOffset now) => ExpiresAt is not { } expiry || now < expiry;

    /// <summary>Creates a secret of random bytes.</summary>
    /// <param name="createdAt">When the secret is created.</param>
    /// <param name="byteCount">How many random bytes, 24 to 64. The default value is 32.</param>
    public static WebhookSecret Generate(DateTimeOffset createdAt, int byteCount = 32)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(byteCount, 24);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(byteCount, 64);
        Span<byte> key = stackalloc byte[byteCount];
        RandomNumberGenerator.Fill(key);
        return new WebhookSecret { Key = Prefix + Convert.ToBase64String(key), CreatedAt = createdAt };
    }

    // Records print every property: a secret in a log line or an exception message must not give its key away.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Key = ***, CreatedAt = ").Append(CreatedAt).Append(", ExpiresAt = ").Append(ExpiresAt);
        return true;
    }

    /// <summary>Returns the key bytes of a <c>whsec_</c> secret (a secret without the prefix is read as base64 too).</summary>
    /// <param name="key">The secret text.</param>
    /// <exception cref="FormatException">The secret is not base64.</exception>
    public static byte[] DecodeKey(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var encoded = key.StartsWith(Prefix, StringComparison.Ordinal) ? key[Prefix.Length..] : key;
        return Convert.FromBase64String(encoded);
    }
}
