namespace Webhooks.Core.Tests.DependencyInjection;

/// <summary>The defaults the README's configuration table gives: a changed default changes the table too.</summary>
public sealed class WebhooksOptionsTests
{
    [Test]
    public void New_Default_HasTheDocumentedTopLevelValues()
    {
        var options = new WebhooksOptions();

        Assert.Multiple(() =>
        {
            Assert.That(options.AllowHttp, Is.False);
            Assert.That(options.ReservedHeaderPrefixes, Is.Empty);
            Assert.That(options.MaxWebhooksPerTenant, Is.EqualTo(25));
            Assert.That(options.DefaultVerificationMode, Is.EqualTo(VerificationMode.None));
            Assert.That(options.ChallengeHeaderName, Is.EqualTo("webhook-verification-challenge"));
            Assert.That(options.EnableRateLimit, Is.EqualTo(5));
            Assert.That(options.EnableRateLimitPeriod, Is.EqualTo(TimeSpan.FromMinutes(15)));
            Assert.That(options.SecretGracePeriod, Is.EqualTo(TimeSpan.FromHours(24)));
            Assert.That(options.Retention, Is.EqualTo(TimeSpan.FromDays(30)));
        });
    }

    [Test]
    public void New_Default_HasTheDocumentedHealthAndRetryValues()
    {
        var options = new WebhooksOptions();

        Assert.Multiple(() =>
        {
            Assert.That(options.Health.WindowSize, Is.EqualTo(10));
            Assert.That(options.Health.WarningFailures, Is.EqualTo(5));
            Assert.That(options.Health.ErrorConsecutiveFailures, Is.EqualTo(10));
            Assert.That(options.Health.RecoveryConsecutiveSuccesses, Is.EqualTo(10));
            Assert.That(options.Retry.BaseDelay, Is.EqualTo(TimeSpan.FromSeconds(5)));
            Assert.That(options.Retry.Factor, Is.EqualTo(2));
            Assert.That(options.Retry.MaxDelay, Is.EqualTo(TimeSpan.FromHours(24)));
            Assert.That(options.Retry.Jitter, Is.EqualTo(0.2));
            Assert.That(options.Retry.MaxAge, Is.EqualTo(TimeSpan.FromDays(10)));
            Assert.That(options.Retry.MaxRetryAfter, Is.EqualTo(TimeSpan.FromHours(24)));
            Assert.That(options.Retry.Schedule, Is.Null);
        });
    }

    [Test]
    public void New_Default_HasTheDocumentedHttpAndDispatcherValues()
    {
        var options = new WebhooksOptions();
        var version = typeof(WebhooksOptions).Assembly.GetName().Version!.ToString(3);

        Assert.Multiple(() =>
        {
            Assert.That(options.Http.Timeout, Is.EqualTo(TimeSpan.FromSeconds(15)));
            Assert.That(options.Http.ResponseBodyLimit, Is.EqualTo(4096));
            Assert.That(options.Http.UserAgent, Is.EqualTo("Webhooks.Core/" + version));
            Assert.That(options.Http.BlockNonPublicAddresses, Is.True);
            Assert.That(options.Http.AllowedAddresses, Is.Empty);
            Assert.That(options.Http.AllowedNetworks, Is.Empty);
            Assert.That(options.Dispatcher.BatchSize, Is.EqualTo(200));
            Assert.That(options.Dispatcher.MaxConcurrency, Is.EqualTo(64));
            Assert.That(options.Dispatcher.MaxConcurrencyPerWebhook, Is.EqualTo(16));
            Assert.That(options.Dispatcher.LeaseDuration, Is.EqualTo(TimeSpan.FromSeconds(60)));
            Assert.That(options.Dispatcher.PollInterval, Is.EqualTo(TimeSpan.FromSeconds(5)));
            Assert.That(options.Dispatcher.HousekeepingInterval, Is.EqualTo(TimeSpan.FromMinutes(1)));
            Assert.That(options.Dispatcher.Enabled, Is.True);
        });
    }

    [Test]
    public void New_Default_InMemoryStoreAndVerifierHaveTheDocumentedValues()
    {
        Assert.Multiple(() =>
        {
            Assert.That(new InMemoryStoreOptions().MaxFinishedMessages, Is.EqualTo(100_000));
            Assert.That(new SignatureVerificationOptions().Tolerance, Is.EqualTo(TimeSpan.FromMinutes(5)));
        });
    }
}
