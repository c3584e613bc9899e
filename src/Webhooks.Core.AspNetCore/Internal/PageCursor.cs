using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Webhooks.Core.AspNetCore.Internal;

/// <summary>
/// The <c>next</c> of a listing's page and the <c>after</c> that takes it back: a place in the listing (a
/// <see cref="MessageLogPosition"/> or a <see cref="WebhookListPosition"/>) as base64url text, opaque to clients.
/// Inside, the creation time in UTC ticks and the id: <c>ticks:id</c>.
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

    private static string Encode(DateTimeOffset createdAt, string id) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{createdAt.UtcTicks}:{id}")));

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

        string decoded;
        try
        {
            decoded = StrictUtf8.GetString(bytes);
        }
        catch (ArgumentException)
        {
            return false;
        }

        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0
            || !long.TryParse(decoded.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            || ticks > DateTimeOffset.MaxValue.UtcTicks)
        {
            return false;
        }

        // No id is empty; any other text is a position, control characters included. The stores compare it with the ids
        // they hold: a custom id may have control characters, and the PostgreSQL store takes a position with a U+0000
        // too, though it cannot store one.
        id = decoded[(colon + 1)..];
        if (id.Length == 0)
        {
            return false;
        }

        createdAt = new DateTimeOffset(ticks, TimeSpan.Zero);
        return true;
    }
}
