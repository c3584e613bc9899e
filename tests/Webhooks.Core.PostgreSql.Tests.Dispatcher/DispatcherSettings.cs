namespace Webhooks.Core.PostgreSql.Tests;

/// <summary>
/// The dispatcher settings of the killable dispatcher process, also compiled into the tests that take over its work:
/// short leases and timeouts, so that what a killed process held is reclaimed within seconds.
/// </summary>
internal static class DispatcherSettings
{
    public static void Apply(WebhooksOptions o)
    {
        o.Http.Timeout = TimeSpan.FromSeconds(1);
        o.Dispatcher.LeaseDuration = TimeSpan.FromSeconds(2);
        o.Dispatcher.PollInterval = TimeSpan.FromMilliseconds(200);
        o.Dispatcher.BatchSize = 100;
        o.Dispatcher.MaxConcurrency = 8;
        o.Dispatcher.MaxConcurrencyPerWebhook = 8;
        o.Retry.BaseDelay = TimeSpan.FromMilliseconds(50);
        o.Retry.MaxDelay = TimeSpan.FromMilliseconds(500);
        o.Health.ErrorConsecutiveFailures = 1_000_000;
    }
}
