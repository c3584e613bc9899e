namespace Webhooks.Core;

/// <summary>The operation conflicts with what is stored, for example a duplicate id or a second default webhook.</summary>
public sealed class WebhookConflictException : WebhookException
{
    /// <summary>Initializes a new instance of the <see cref="WebhookConflictException"/> class.</summary>
    public WebhookConflictException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="WebhookConflictException"/> class.</summary>
    /// <param name="message">What went wrong.</param>
    public WebhookConflictException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="WebhookConflictException"/> class.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public WebhookConflictException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
