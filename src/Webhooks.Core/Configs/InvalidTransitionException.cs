namespace Webhooks.Core;

/// <summary>A state or status change that the webhook or message state machine does not allow.</summary>
public sealed class InvalidTransitionException : WebhookException
{
    /// <summary>Initializes a new instance of the <see cref="InvalidTransitionException"/> class.</summary>
    public InvalidTransitionException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="InvalidTransitionException"/> class.</summary>
    /// <param name="message">What went wrong.</param>
    public InvalidTransitionException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="InvalidTransitionException"/> class.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public InvalidTransitionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
