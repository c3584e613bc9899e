using System.Buffers.Binary;
using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Webhooks.Core.AspNetCore.Internal;

/// <summary>
/// The <c>next</c> of a listing's page and the <c>after</c> that takes it back: a place in the listing (a
/// <see cref="MessageLogPosition"/> or a <see cref="WebhookListPosition"/>) as base64url text, opaque to clients.
/// Inside, the creation time in UTC ticks and the id: <c>ticks:id</c> with the id in UTF-8, or <c>ticks;id</c> with
/// it in UTF-16 for an id UTF-8 cannot carry (a lone surrogate, which the in-memory store takes in a custom id).
/// </summary>
internal static class PageCursor
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The <c>next</c> of <paramref name="page"/>: its last item's position, or <see langword="null"/> when no match follows it.</summary>
    public static string? NextOf<T>(WebhookPage<T> page, Func<T, string> encode) =>
        page.Items.Count > 0 && page.Offset + page.Items.Count < page.Total ? encode(page.Items[^1]) : null;

    public static string Encode(MessageLogPosition position) => Encode(position.CreatedAt, position.MessageId);

    public static string Encode(WebhookListPosition position) => Encode(position.CreatedAt, position.WebhookId);

    public static bool TryDecode(string text, out MessageLogPosition? position)
    {
        position = TryDecode(text, out var createdAt, out var id) ? new MessageLogPosition(createdAt, id) : null;
        return position is not null;
    }

    public static bool TryDecode(string text, out WebhookListPosition? position)
    {
        position = TryDecode(text, out var createdAt, out var id) ? new WebhookListPosition(createdAt, id) : null;
        return position is not null;
    }

    private static string Encode(DateTimeOffset createdAt, string id)
    {
        var ticks = createdAt.UtcTicks.ToString(CultureInfo.InvariantCulture);
        byte[] bytes;
        try
        {
            bytes = StrictUtf8.GetBytes($"{ticks}:{id}");
        }
        catch (EncoderFallbackException)
        {
            // Code unit by code unit, little-endian: Encoding.Unicode would replace the lone surrogate too.
            bytes = new byte[ticks.Length + 1 + (2 * id.Length)];
            Encoding.ASCII.GetBytes($"{ticks};", bytes);
            for (var i = 0; i < id.Length; i++)
            {
                BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(ticks.Length + 1 + (2 * i)), id[i]);
            }
        }

        return Base64Url.EncodeToString(bytes);
    }

    private static bool TryDecode(string text, out DateTimeOffset createdAt, out string id)
    {
        createdAt = default;
        id = string.Empty;
        byte[] bytes;
        try
        {
            bytes = Base64Url.DecodeFromChars(text);
        }
        catch (FormatException)
        {
            return false;
        }

        var separator = bytes.AsSpan().IndexOfAny((byte)':', (byte)';');
        if (separator <= 0
            || !long.TryParse(bytes.AsSpan(0, separator), NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            || ticks > DateTimeOffset.MaxValue.UtcTicks)
        {
            return false;
        }

        var idBytes = bytes.AsSpan(separator + 1);
        try
        {
            id = bytes[separator] == ':' ? StrictUtf8.GetString(idBytes) : CodeUnits(idBytes);
        }
        catch (ArgumentException)
        {
            return false;
        }

        // No id is empty; any other text is a position, control characters included. The stores compare it with the ids
        // they hold: a custom id may have control characters, and the PostgreSQL store takes a position with a U+0000
        // too, though it cannot store one.
        if (id.Length == 0)
        {
            return false;
        }

        createdAt = new DateTimeOffset(ticks, TimeSpan.Zero);
        return true;
    }

    private static string CodeUnits(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length % 2 != 0)
        {
            return string.Empty;
        }

        var units = new char[bytes.Length / 2];
        for (var i = 0; i < units.Length; i++)
        {
            units[i] = (char)BinaryPrimitives.ReadUInt16LittleEndian(bytes[(2 * i)..]);
        }

        return new string(units);
    }
}
