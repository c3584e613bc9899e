namespace Webhooks.Core.Tests.Management;

public sealed class WebhookWithSecretTests
{
    [Test]
    public void ToString_CreatedWebhook_ShowsTheWebhookButNotTheSecret()
    {
        var secret = WebhookSecret.Generate(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));
        var created = new WebhookWithSecret(new WebhookConfig { Id = "wh_1", Url = "https://example.com/hook", Secrets = [secret] }, secret.Key);

        // Records print every property: the result of a create or a rotation, logged, must not give the secret away.
        var text = created.ToString();

        Assert.That(text, Does.Not.Contain(secret.Key).And.Not.Contain(secret.Key["whsec_".Length..]));
        Assert.That(text, Does.Contain("wh_1").And.Contain(nameof(WebhookWithSecret.Secret)));
    }
}
