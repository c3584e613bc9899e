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
    /// <param name="retryAt">When the operation is allowed again.</param>
    public WebhookRateLimitedException(string message, DateTimeOffset retryAt)
        : base(message)
    {
        RetryAt = retryAt;
    }

    /// <summary>Initializes a new instance of the <see cref="WebhookRateLimitedException"/> class.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public WebhookRateLimitedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Gets when the operation is allowed again; <see langword="null"/> when not known.</summary>
    public DateTimeOffset? RetryAt { get; }
}
