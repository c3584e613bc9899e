using System.Globalization;
using System.Text;

namespace Webhooks.Core.PostgreSql.Internal;

/// <summary>
/// Routes what arrives on the store's channel. Payloads: <c>d</c> messages may be due, <c>o</c> outbox rows were stored,
/// <c>c</c> a config changed: <c>c&lt;length of id in characters&gt;:&lt;id&gt;</c>, then <c>:&lt;tenant id&gt;</c> unless
/// it belongs to the default tenant; <c>c*</c> (<see cref="AnyConfig"/>) any config may have changed, sent when the
/// config's payload would be too long for <c>pg_notify</c>; <c>f&lt;id&gt;</c> a user changed message <c>id</c>
/// (cancelled, retried, postponed or held it). <c>c*</c> and unreadable payloads drop every cached config.
/// </summary>
internal sealed class NotificationSink(Action onDue, Action onOutbox, Action<string?, string?> onConfigChanged, Action onReset, Action<string> onMessageChanged)
{
    public const string Due = "d";
    public const string Outbox = "o";
    public const string AnyConfig = "c*";
    public const string MessageChangedPrefix = "f";

    /// <summary>
    /// The longest config payload sent, in UTF-8 bytes, with a margin: PostgreSQL refuses payloads of 8,000 bytes or more
    /// (with its default block size), and would fail the config's write with them.
    /// </summary>
    public const int MaxConfigPayloadBytes = 7000;

    /// <summary>
    /// The payload announcing a change to config <paramref name="id"/> of tenant <paramref name="tenantId"/>, or
    /// <see cref="AnyConfig"/> when that would be longer than <see cref="MaxConfigPayloadBytes"/>.
    /// </summary>
    public static string ConfigPayload(string id, string? tenantId)
    {
        var payload = string.Create(CultureInfo.InvariantCulture, $"c{CountCharacters(id)}:{id}{(tenantId is null ? string.Empty : ":" + tenantId)}");
        return Encoding.UTF8.GetByteCount(payload) <= MaxConfigPayloadBytes ? payload : AnyConfig;
    }

    /// <summary>The SQL expression of <see cref="ConfigPayload"/> for the columns or aliases given.</summary>
    public static string ConfigPayloadSql(string idExpression, string tenantExpression)
    {
        var payload = $"'c' || length({idExpression}) || ':' || {idExpression} || coalesce(':' || {tenantExpression}, '')";
        return $"CASE WHEN octet_length({payload}) <= {MaxConfigPayloadBytes} THEN {payload} ELSE '{AnyConfig}' END";
    }

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
            case AnyConfig:
                onReset();
                break;
            case ['f', ..]:
                onMessageChanged(payload[1..]);
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
