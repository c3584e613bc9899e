using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Webhooks.Core.AspNetCore.Internal;

/// <summary>
/// The <c>next</c> of a delivery log page and the <c>after</c> that takes it back: a <see cref="MessageLogPosition"/>
/// as base64url text, opaque to clients. Inside, the creation time in UTC ticks and the message id: <c>ticks:id</c>.
/// </summary>
internal static class LogCursor
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static string Encode(MessageLogPosition position) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(
            string.Create(CultureInfo.InvariantCulture, $"{position.CreatedAt.UtcTicks}:{position.MessageId}")));

    public static bool TryDecode(string text, out MessageLogPosition? position)
    {
        position = null;
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

        // No message id is empty; any other text is a position, control characters included. The stores compare it with
        // the ids they hold: a custom id may have control characters, and the PostgreSQL store takes a position with a
        // U+0000 too, though it cannot store one.
        var id = decoded[(colon + 1)..];
        if (id.Length == 0)
        {
            return false;
        }

        position = new MessageLogPosition(new DateTimeOffset(ticks, TimeSpan.Zero), id);
        return true;
    }
}
