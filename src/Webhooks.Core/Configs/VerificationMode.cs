namespace Webhooks.Core;

/// <summary>How a webhook's endpoint is verified before events flow to it.</summary>
public enum VerificationMode
{
    /// <summary>No verification: the webhook becomes <see cref="WebhookStatus.Active"/> at once.</summary>
    None,

    /// <summary>A <c>GET</c> carrying a random challenge header, answered with <c>{"verification": "&lt;challenge&gt;"}</c>.</summary>
    Challenge,

    /// <summary>A signed <c>webhook.test</c> event; any 2xx answer verifies the endpoint.</summary>
    TestEvent,
}
