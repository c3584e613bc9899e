namespace Webhooks.Core;

/// <summary>The webhook changed since it was read: its generation is not the one expected.</summary>
public sealed class WebhookConcurrencyException : WebhookException
{
    /// <summary>Initializes a new instance of the <see cref="WebhookConcurrencyException"/> class.</summary>
    public WebhookConcurrencyException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="WebhookConcurrencyException"/> class.</summary>
    /// <param name="message">What went wrong.</param>
    public WebhookConcurrencyException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="WebhookConcurrencyException"/> class.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public WebhookConcurrencyException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The one wording for a webhook found at another generation than the caller read, wherever it is found.</summary>
    internal static WebhookConcurrencyException AtGeneration(string webhookId, long stored, long expected) =>
        new($"Webhook '{webhookId}' is at generation {stored}, not {expected}: it changed since it was read; read it again and reapply the change.");

    /// <summary>The one wording for a webhook found deleted and created again since the caller read it.</summary>
    internal static WebhookConcurrencyException CreatedAgain(string webhookId) =>
        new($"Webhook '{webhookId}' was deleted and created again since it was read; read it again and reapply the change.");
}
