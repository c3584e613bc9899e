using System.Globalization;
using System.Text;

namespace Webhooks.Core.PostgreSql.Internal;

/// <summary>
/// Routes what arrives on the store's channel. Payloads: <c>d</c> messages may be due, <c>o</c> outbox rows were stored,
/// <c>c</c> a config changed: <c>c&lt;length of id in characters&gt;:&lt;id&gt;</c>, then <c>:&lt;tenant id&gt;</c> unless
/// it belongs to the default tenant. Unreadable payloads drop every cached config.
/// </summary>
internal sealed class NotificationSink(Action onDue, Action onOutbox, Action<string?, string?> onConfigChanged, Action onReset)
{
    public const string Due = "d";
    public const string Outbox = "o";

    /// <summary>The payload announcing a change to config <paramref name="id"/> of tenant <paramref name="tenantId"/>.</summary>
    public static string ConfigPayload(string id, string? tenantId) =>
        string.Create(CultureInfo.InvariantCulture, $"c{CountCharacters(id)}:{id}{(tenantId is null ? string.Empty : ":" + tenantId)}");

    /// <summary>The SQL expression of <see cref="ConfigPayload"/> for the columns or aliases given.</summary>
    public static string ConfigPayloadSql(string idExpression, string tenantExpression) =>
        $"'c' || length({idExpression}) || ':' || {idExpression} || coalesce(':' || {tenantExpression}, '')";

    public void OnNotification(string payload)
    {
        switch (payload)
        {
            case Due:
                onDue();
                break;
            case Outbox:
                onOutbox();
                break;
            default:
                if (TryReadConfigPayload(payload, out var id, out var tenantId))
                {
                    onConfigChanged(id, tenantId);
                }
                else
                {
                    onReset();
                }

                break;
        }
    }

    /// <summary>Called when the listener connects or loses its connection: anything may have been missed.</summary>
    public void OnListenerReset()
    {
        onReset();
        onDue();
        onOutbox();
    }

    internal static bool TryReadConfigPayload(string payload, out string id, out string? tenantId)
    {
        (id, tenantId) = (string.Empty, null);
        var colon = payload.IndexOf(':', StringComparison.Ordinal);
        if (payload.Length == 0 || payload[0] != 'c' || colon < 2
            || !int.TryParse(payload.AsSpan(1, colon - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var length))
        {
            return false;
        }

        // PostgreSQL counts characters (code points), not UTF-16 units.
        var start = colon + 1;
        var end = start;
        for (var counted = 0; counted < length; counted++)
        {
            if (end >= payload.Length || Rune.DecodeFromUtf16(payload.AsSpan(end), out _, out var units) != System.Buffers.OperationStatus.Done)
            {
                return false;
            }

            end += units;
        }

        id = payload[start..end];
        if (end == payload.Length)
        {
            return true;
        }

        tenantId = payload[end] == ':' ? payload[(end + 1)..] : null;
        return payload[end] == ':';
    }

    private static int CountCharacters(string value)
    {
        var count = 0;
        foreach (var _ in value.EnumerateRunes())
        {
            count++;
        }

        return count;
    }
}
