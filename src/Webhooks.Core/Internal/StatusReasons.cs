using System.Globalization;

namespace Webhooks.Core.Internal;

/// <summary>The <see cref="WebhookConfig.StatusReason"/> texts the endpoint state machine sets.</summary>
internal static class StatusReasons
{
    public const string Created = "Webhook created.";
    public const string CreatedPending = "Webhook created; verification pending.";
    public const string CreatedDisabled = "Webhook created disabled.";
    public const string UserEnabled = "User enabled the webhook.";
    public const string UserDisabled = "User disabled the webhook.";
    public const string Updated = "Webhook updated.";
    public const string UpdatedPending = "Webhook updated; verification pending.";
    public const string HandshakeAccepted = "Webhook handshake accepted.";
    public const string TestEventAccepted = "Test event accepted.";
    public const string Verified = "Webhook verified.";
    public const string HandshakeFailed = "Incorrect handshake response.";
    public const string TestEventRejected = "Test event rejected.";
    public const string VerificationFailed = "Verification failed.";
    public const string Gone = "The endpoint answered 410 Gone.";

    public static string ConsecutiveFailures(int count) =>
        string.Create(CultureInfo.InvariantCulture, $"{count} consecutive delivery failures.");

    public static string FailuresInWindow(int failures, int windowSize) =>
        string.Create(CultureInfo.InvariantCulture, $"{failures} failed deliveries within the last {windowSize} attempts.");

    public static string ConsecutiveSuccesses(int count) =>
        string.Create(CultureInfo.InvariantCulture, $"{count} consecutive successful deliveries.");

    public static string VerificationAccepted(VerificationMode mode) => mode switch
    {
        VerificationMode.Challenge => HandshakeAccepted,
        VerificationMode.TestEvent => TestEventAccepted,
        _ => Verified,
    };

    public static string VerificationRejected(VerificationMode mode) => mode switch
    {
        VerificationMode.Challenge => HandshakeFailed,
        VerificationMode.TestEvent => TestEventRejected,
        _ => VerificationFailed,
    };
}
