namespace Webhooks.Core;

/// <summary>Who wants a webhook on: only the user enables; the user or the system disables.</summary>
public enum WebhookState
{
    /// <summary>The owner wants events delivered.</summary>
    Enabled,

    /// <summary>Turned off by the owner, or by the system after repeated failures or a failed handshake.</summary>
    Disabled,
}
