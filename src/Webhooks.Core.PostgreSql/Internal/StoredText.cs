using System.Diagnostics.CodeAnalysis;

namespace Webhooks.Core.PostgreSql.Internal;

/// <summary>Makes strings from outside the store (receivers' answers, transports' errors) storable in <c>text</c> and <c>jsonb</c>.</summary>
internal static class StoredText
{
    /// <summary>
    /// Returns <paramref name="value"/> with each U+0000, and each surrogate without its pair, replaced by U+FFFD.
    /// PostgreSQL text and jsonb cannot hold U+0000, nor UTF-8 a lone surrogate, and one such character would fail the
    /// whole statement, with every other row written by it.
    /// </summary>
    [return: NotNullIfNotNull(nameof(value))]
    public static string? Cleaned(string? value)
    {
        if (value is null || IndexOfUnstorable(value) is not (>= 0 and var first))
        {
            return value;
        }

        // Past a character found the rest is searched on its own: it cannot start with the second half of a pair.
        var chars = value.ToCharArray();
        for (var at = first; at >= 0;)
        {
            chars[at] = '\uFFFD';
            var next = IndexOfUnstorable(chars.AsSpan(at + 1));
            at = next < 0 ? -1 : at + 1 + next;
        }

        return new string(chars);
    }

    /// <summary>
    /// Whether a key looked up could be stored at all: one with U+0000 or a lone surrogate cannot (PostgreSQL refuses
    /// the parameter), so there is none such, and the lookup answers "none" without asking.
    /// </summary>
    public static bool Storable(string key) => IndexOfUnstorable(key) < 0;

    /// <summary>Names the character at <paramref name="at"/> that <c>text</c> cannot hold, for an error message: "a U+0000 character", or the surrogate.</summary>
    public static string DescribeUnstorable(string value, int at) =>
        value[at] == '\0' ? "a U+0000 character" : $"a surrogate without its pair (U+{(int)value[at]:X4})";

    /// <summary>
    /// Returns the index of the first character of <paramref name="value"/> that <c>text</c> cannot hold (U+0000, or a
    /// surrogate without its pair, which UTF-8 cannot encode), or -1 when there is none.
    /// </summary>
    public static int IndexOfUnstorable(ReadOnlySpan<char> value)
    {
        // Vectorized searches first: response bodies of up to the capture limit go through here on every attempt.
        var nul = value.IndexOf('\0');
        var surrogate = value.IndexOfAnyInRange('\uD800', '\uDFFF');
        if (surrogate < 0 || (nul >= 0 && nul < surrogate))
        {
            return nul;
        }

        for (var i = surrogate; i < value.Length; i++)
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
