using System.Collections.ObjectModel;

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

    /// <summary>Initializes a new instance of the <see cref="InvalidTransitionException"/> class for a message operation its status does not allow.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="currentStatus">The message's status.</param>
    /// <param name="allowedStatuses">The statuses the operation is allowed from.</param>
    public InvalidTransitionException(string message, MessageStatus currentStatus, IEnumerable<MessageStatus> allowedStatuses)
        : base(message)
    {
        ArgumentNullException.ThrowIfNull(allowedStatuses);
        CurrentStatus = currentStatus;
        // A copy: the caller's collection may change after the throw.
        AllowedStatuses = Array.AsReadOnly([.. allowedStatuses]);
    }

    /// <summary>Gets the status of the message the operation was refused for; <see langword="null"/> when the refusal is not about a message's status.</summary>
    public MessageStatus? CurrentStatus { get; }

    /// <summary>Gets the statuses the refused operation is allowed from, in the order the state machine names them; empty when <see cref="CurrentStatus"/> is <see langword="null"/>.</summary>
    public IReadOnlyList<MessageStatus> AllowedStatuses { get; } = ReadOnlyCollection<MessageStatus>.Empty;
}
