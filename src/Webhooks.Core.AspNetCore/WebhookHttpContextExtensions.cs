using Microsoft.AspNetCore.Http;

namespace Webhooks.Core.AspNetCore;

/// <summary>Reads what a webhook signature check left on a request.</summary>
public static class WebhookHttpContextExtensions
{
    /// <summary>Gets the delivery verified by <c>RequireWebhookSignature</c> for this request.</summary>
    /// <param name="context">The request's context.</param>
    /// <returns>The verified event, or <see langword="null"/> when the endpoint does not require a webhook signature.</returns>
    public static ReceivedWebhookEvent? GetReceivedWebhookEvent(this HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Features.Get<ReceivedWebhookEvent>();
    }
}
