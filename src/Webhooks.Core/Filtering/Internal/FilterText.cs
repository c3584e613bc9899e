using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace Webhooks.Core.Internal;

/// <summary>Reads string values without allocating: in place as UTF-8 where possible, decoded into a scratch buffer where not.</summary>
internal static class FilterText
{
    /// <summary>Gets the UTF-8 of a string value that needs no decoding: an unescaped JSON string, or a literal.</summary>
    /// <param name="value">The value, a <see cref="FilterValueKind.String"/>.</param>
    /// <param name="utf8">The string's UTF-8 bytes.</param>
    /// <returns><see langword="false"/> when the value is escaped JSON or other text.</returns>
    public static bool TryGetUtf8(scoped in FilterValue value, out ReadOnlySpan<byte> utf8)
    {
        if (value.IsJson)
        {
            return TryGetUtf8(value.Element, out utf8);
        }

        utf8 = value.Literal?.Utf8;
        return value.Literal?.Utf8 is not null;
    }

    /// <summary>Gets the UTF-8 of a JSON string that has no escapes, in place.</summary>
    /// <param name="element">A string element.</param>
    /// <param name="utf8">The string's UTF-8 bytes, without the quotes.</param>
    /// <returns><see langword="false"/> when the string is escaped.</returns>
    public static bool TryGetUtf8(JsonElement element, out ReadOnlySpan<byte> utf8)
    {
        utf8 = RawContent(element);
        return utf8.IndexOf((byte)'\\') < 0;
    }

    /// <summary>Turns a JSON string value into text, decoded into <paramref name="scratch"/>; returns any other value as it is.</summary>
    /// <param name="value">The value.</param>
    /// <param name="scratch">Where to decode.</param>
    /// <returns>The value, with <see cref="FilterValue.Text"/> when it is a string.</returns>
    public static FilterValue Materialize(scoped in FilterValue value, ref TextScratch scratch)
    {
        if (value.Kind != FilterValueKind.String || !value.IsJson)
        {
            return value;
        }

        var buffer = scratch.Get(MaxLength(value.Element));
        return FilterValue.FromText(CopyTo(value, buffer));
    }

    /// <summary>Gets how many characters a JSON string decodes to at most.</summary>
    /// <param name="element">The string.</param>
    /// <returns>The length of its raw UTF-8, which no decoding exceeds.</returns>
    public static int MaxLength(JsonElement element) => RawContent(element).Length;

    /// <summary>Copies a string value's text, decoding JSON.</summary>
    /// <param name="value">A <see cref="FilterValueKind.String"/> value.</param>
    /// <param name="destination">Where to copy; at least <see cref="MaxLength"/> characters for JSON.</param>
    /// <returns>The part of <paramref name="destination"/> written.</returns>
    public static Span<char> CopyTo(scoped in FilterValue value, Span<char> destination)
    {
        if (!value.IsJson)
        {
            value.Text.CopyTo(destination);
            return destination[..value.Text.Length];
        }

        var content = RawContent(value.Element);
        if (content.IndexOf((byte)'\\') < 0)
        {
            return destination[..Encoding.UTF8.GetChars(content, destination)];
        }

        var reader = new Utf8JsonReader(JsonMarshal.GetRawUtf8Value(value.Element));
        reader.Read();
        return destination[..reader.CopyString(destination)];
    }

    /// <summary>Reads a string value, or a timestamp, as an instant.</summary>
    /// <param name="value">The value.</param>
    /// <param name="utcTicks">The instant in UTC ticks.</param>
    /// <returns><see langword="true"/> when the value is a timestamp or a string holding an RFC 3339 date-time with an offset.</returns>
    public static bool TryGetInstant(scoped in FilterValue value, out long utcTicks)
    {
        if (value.Literal is { } literal)
        {
            utcTicks = literal.Instant.GetValueOrDefault();
            return literal.Instant.HasValue;
        }

        if (value.Kind != FilterValueKind.String)
        {
            utcTicks = 0;
            return false;
        }

        if (!value.IsJson)
        {
            return Rfc3339.TryParse(value.Text, out utcTicks);
        }

        var raw = RawContent(value.Element);
        if (raw.IndexOf((byte)'\\') < 0)
        {
            return Rfc3339.TryParse(raw, out utcTicks);
        }

        // Escaped, as System.Text.Json's default encoder writes the '+' of an offset (\u002B): read the decoded text.
        var scratch = new TextScratch(stackalloc char[TextScratch.StackLength]);
        try
        {
            ReadOnlySpan<char> text = CopyTo(value, scratch.Get(raw.Length));
            return Rfc3339.TryParse(text, out utcTicks);
        }
        finally
        {
            scratch.Dispose();
        }
    }

    private static ReadOnlySpan<byte> RawContent(JsonElement element)
    {
        var raw = JsonMarshal.GetRawUtf8Value(element);
        return raw.Length >= 2 && raw[0] == (byte)'"' ? raw[1..^1] : raw;
    }
}
