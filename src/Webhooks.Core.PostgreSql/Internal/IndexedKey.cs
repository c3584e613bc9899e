namespace Webhooks.Core.PostgreSql.Internal;

/// <summary>Checks the strings that end up in the store's btree indexes against <see cref="PostgreSqlWebhookStore.MaxIdLength"/>, and other stored text for U+0000.</summary>
internal static class IndexedKey
{
    /// <summary>Throws when <paramref name="value"/> is longer than <see cref="PostgreSqlWebhookStore.MaxIdLength"/> or has a U+0000 character.</summary>
    /// <param name="value">The id to check; <see langword="null"/> passes.</param>
    /// <param name="paramName">The argument holding it, such as <c>config</c> or <c>messages</c>.</param>
    /// <param name="field">The property holding it, such as <c>TenantId</c>.</param>
    /// <param name="index">Its item's position in a list argument, or -1.</param>
    public static void ThrowIfTooLong(string? value, string paramName, string field, int index = -1)
    {
        if (value is { Length: > PostgreSqlWebhookStore.MaxIdLength })
        {
            // A raw "index row size exceeds maximum" from PostgreSQL would not say which value, nor fail before other rows.
            throw new ArgumentException(
                $"{Path(paramName, field, index)} is {value.Length} characters long; the PostgreSQL store accepts at most {PostgreSqlWebhookStore.MaxIdLength} "
                + $"characters (PostgreSqlWebhookStore.MaxIdLength), as it is part of an index key.",
                paramName);
        }

        ThrowIfUnstorable(value, paramName, field, index);
    }

    /// <summary>
    /// Throws when <paramref name="value"/>, stored as text though not in an index, has a U+0000 character or a surrogate
    /// without its pair.
    /// </summary>
    /// <inheritdoc cref="ThrowIfTooLong" path="/param"/>
    public static void ThrowIfUnstorable(string? value, string paramName, string field, int index = -1)
    {
        if (value is not null && StoredText.IndexOfUnstorable(value) is >= 0 and var at)
        {
            // Nor would its raw "invalid byte sequence for encoding UTF8: 0x00", or the encoder's exception.
            throw new ArgumentException(
                $"{Path(paramName, field, index)} has {StoredText.DescribeUnstorable(value, at)} at character {at + 1}, which PostgreSQL cannot store.",
                paramName);
        }
    }

    private static string Path(string paramName, string field, int index) =>
        index < 0 ? $"{paramName}.{field}" : $"{paramName}[{index}].{field}";
}
