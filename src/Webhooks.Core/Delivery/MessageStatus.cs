namespace Webhooks.Core;

/// <summary>Where a message is in its delivery.</summary>
public enum MessageStatus
{
    /// <summary>Waiting for its first attempt.</summary>
    Created,

    /// <summary>The last attempt failed; another is scheduled.</summary>
    Retrying,

    /// <summary>Delivered: the receiver answered 2xx.</summary>
    Success,

    /// <summary>Undeliverable: no more attempts will be made.</summary>
    Failed,

    /// <summary>Cancelled by the user.</summary>
    Cancelled,
}
