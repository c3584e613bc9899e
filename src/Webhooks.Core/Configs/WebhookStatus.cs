namespace Webhooks.Core;

/// <summary>Whether events flow to a webhook.</summary>
public enum WebhookStatus
{
    /// <summary>Verification is running; events are held.</summary>
    Pending,

    /// <summary>Events are delivered.</summary>
    Active,

    /// <summary>Many recent attempts failed, or the handshake failed; events are still delivered while enabled.</summary>
    Warning,

    /// <summary>Too many consecutive failures or 410 Gone; events are held and the webhook is disabled.</summary>
    Error,

    /// <summary>The owner disabled the webhook; events are held.</summary>
    Disabled,
}
