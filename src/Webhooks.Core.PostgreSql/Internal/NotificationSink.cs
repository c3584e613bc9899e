namespace Webhooks.Core.PostgreSql.Internal;

/// <summary>
/// Routes what arrives on the store's channel. Payloads: <c>d</c> messages may be due, <c>o</c> outbox rows were stored,
/// <c>c</c> the default tenant's configs changed, <c>c:</c> followed by a tenant id that tenant's configs changed.
/// </summary>
internal sealed class NotificationSink(Action onDue, Action onOutbox, Action<string?> onConfigsChanged, Action onReset)
{
    public const string Due = "d";
    public const string Outbox = "o";
    public const string ConfigsPrefix = "c";

    /// <summary>The SQL expression of the payload for a change to the configs of the tenant in <paramref name="tenantExpression"/>.</summary>
    public static string ConfigsPayloadSql(string tenantExpression) => $"'c' || coalesce(':' || {tenantExpression}, '')";

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
            case ConfigsPrefix:
                onConfigsChanged(null);
                break;
            default:
                if (payload.StartsWith("c:", StringComparison.Ordinal))
                {
                    onConfigsChanged(payload[2..]);
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
}
