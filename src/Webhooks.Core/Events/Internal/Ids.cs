namespace Webhooks.Core.Internal;

/// <summary>Identifiers that sort by creation time (UUID v7) with a prefix naming what they identify.</summary>
internal static class Ids
{
    public static string NewWebhookId(DateTimeOffset now) => "wh_" + Guid.CreateVersion7(now).ToString("N");

    public static string NewMessageId(DateTimeOffset now) => "msg_" + Guid.CreateVersion7(now).ToString("N");
}
