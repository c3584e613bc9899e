namespace Webhooks.Core.Internal;

/// <summary>Marks a service collection to which <c>AddWebhooks</c> was applied, so a second call adds no duplicates.</summary>
internal sealed class WebhooksMarker;
