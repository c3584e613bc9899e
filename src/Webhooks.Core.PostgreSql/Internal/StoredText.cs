using System.Diagnostics.CodeAnalysis;

namespace Webhooks.Core.PostgreSql.Internal;

/// <summary>Makes strings from outside the store (receivers' answers, transports' errors) storable in <c>text</c> and <c>jsonb</c>.</summary>
internal static class StoredText
{
    /// <summary>
    /// Returns <paramref name="value"/> with each U+0000 replaced by U+FFFD. PostgreSQL text and jsonb cannot hold U+0000,
    /// and one such character would fail the whole statement, with every other row written by it.
    /// </summary>
    [return: NotNullIfNotNull(nameof(value))]
    public static string? WithoutNul(string? value) => value?.Replace('\0', '\uFFFD');

    /// <summary>
    /// Whether a key looked up could be stored at all: one with U+0000 cannot (PostgreSQL refuses the parameter), so
    /// there is none such, and the lookup answers "none" without asking.
    /// </summary>
    public static bool Storable(string key) => !key.Contains('\0', StringComparison.Ordinal);

    /// <summary>
    /// Returns the index of the first character of <paramref name="value"/> that <c>text</c> cannot hold (U+0000, or a
    /// surrogate without its pair, which UTF-8 cannot encode), or -1 when there is none.
    /// </summary>
    public static int IndexOfUnstorable(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
            }
            else if (c == '\0' || char.IsSurrogate(c))
            {
                return i;
            }
        }

        return -1;
    }
}
