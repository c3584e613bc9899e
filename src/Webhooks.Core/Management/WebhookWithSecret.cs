using System.Text;

namespace Webhooks.Core;

/// <summary>A webhook together with a secret shown to its owner once, on creation or rotation.</summary>
/// <param name="Webhook">The webhook.</param>
/// <param name="Secret">The new primary secret.</param>
public sealed record WebhookWithSecret(WebhookConfig Webhook, string Secret)
{
    // Records print every property: a created or rotated webhook, logged, must not give its secret away.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Webhook = ").Append(Webhook).Append(", Secret = ***");
        return true;
    }
}
