namespace Webhooks.Core;

/// <summary>Too many attempts to enable a webhook within the configured period.</summary>
public sealed class WebhookRateLimitedException : WebhookException
{
    /// <summary>Initializes a new instance of the <see cref="WebhookRateLimitedException"/> class.</summary>
    public WebhookRateLimitedException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="WebhookRateLimitedException"/> class.</summary>
    /// <param name="message">What went wrong.</param>
    public WebhookRateLimitedException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="WebhookRateLimitedException"/> class.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public WebhookRateLimitedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
