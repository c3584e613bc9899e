using Microsoft.Extensions.Logging;

namespace Webhooks.Core.AspNetCore.Internal;

/// <summary>The log messages of Webhooks.Core.AspNetCore.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Webhook delivery to {Route} rejected: {Reason}")]
    public static partial void DeliveryRejected(ILogger logger, string route, string reason);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "Webhook delivery to {Route} cannot be verified: no signing secret is configured")]
    public static partial void NoSecrets(ILogger logger, string route);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Information, Message = "Webhook handshake on {Route} answered")]
    public static partial void ChallengeAnswered(ILogger logger, string route);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Warning, Message = "Webhook delivery to {Route} was not accepted, and forgetting it failed: the provider's retry with the same timestamp is refused as a replay")]
    public static partial void ReplayForgetFailed(ILogger logger, Exception exception, string route);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Error, Message = "Webhook delivery to {Route} cannot be verified: a secret from {Source} is not a signing secret ('whsec_' and the base64 of at least 16 bytes)")]
    public static partial void InvalidSecret(ILogger logger, string route, string source);
}
