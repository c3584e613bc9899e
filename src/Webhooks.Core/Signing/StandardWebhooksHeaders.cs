namespace Webhooks.Core;

/// <summary>The header names of the <see href="https://www.standardwebhooks.com/">Standard Webhooks</see> signature scheme.</summary>
public static class StandardWebhooksHeaders
{
    /// <summary>The message id, stable across attempts so receivers can deduplicate: <c>webhook-id</c>.</summary>
    public const string Id = "webhook-id";

    /// <summary>The attempt time in Unix seconds: <c>webhook-timestamp</c>.</summary>
    public const string Timestamp = "webhook-timestamp";

    /// <summary>The space-separated signatures, <c>v1,&lt;base64&gt;</c> each: <c>webhook-signature</c>.</summary>
    public const string Signature = "webhook-signature";
}
