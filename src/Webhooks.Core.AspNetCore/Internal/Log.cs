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
}
