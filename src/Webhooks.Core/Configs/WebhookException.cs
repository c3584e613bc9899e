namespace Webhooks.Core;

/// <summary>The base of the errors Webhooks.Core raises on purpose.</summary>
public class WebhookException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="WebhookException"/> class.</summary>
    public WebhookException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="WebhookException"/> class.</summary>
    /// <param name="message">What went wrong.</param>
    public WebhookException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="WebhookException"/> class.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public WebhookException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
