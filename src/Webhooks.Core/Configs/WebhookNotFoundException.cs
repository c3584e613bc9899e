namespace Webhooks.Core;

/// <summary>A webhook or message with the given id does not exist (for the caller's tenant).</summary>
public sealed class WebhookNotFoundException : WebhookException
{
    /// <summary>Initializes a new instance of the <see cref="WebhookNotFoundException"/> class.</summary>
    public WebhookNotFoundException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="WebhookNotFoundException"/> class.</summary>
    /// <param name="message">What went wrong.</param>
    public WebhookNotFoundException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="WebhookNotFoundException"/> class.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public WebhookNotFoundException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
