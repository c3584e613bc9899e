using System.Text;

namespace Webhooks.Core.PostgreSql.Tests;

public sealed class SecretProtectionTests : PostgreSqlTestBase
{
    [Test]
    public async Task AddConfigAsync_WithProtector_StoresNeitherSecretsNorHeadersInClearAndReadsThemBack()
    {
        var store = CreateStore(o => o.SecretProtector = new ReversingProtector());
        var config = TestData.Config("wh-1");

        await store.AddConfigAsync(config, Timeout);

        var body = await PostgreSqlTestDatabase.ScalarAsync<string>($"SELECT body::text FROM \"{Schema}\".configs WHERE id = 'wh-1'");
        Assert.That(body, Does.Not.Contain(config.Secrets[0].Key));
        Assert.That(body, Does.Not.Contain("key-wh-1"));
        Assert.That(body, Does.Contain("protected:"));
        var stored = await store.GetConfigAsync("wh-1", Timeout);
        Assert.That(stored!.Secrets[0].Key, Is.EqualTo(config.Secrets[0].Key));
        Assert.That(stored.Headers["x-api-key"], Is.EqualTo("key-wh-1"));
    }

    [Test]
    public async Task AddConfigAsync_WithoutProtector_StoresValuesAsTheyAre()
    {
        var store = CreateStore();

        await store.AddConfigAsync(TestData.Config("wh-1"), Timeout);

        var body = await PostgreSqlTestDatabase.ScalarAsync<string>($"SELECT body::text FROM \"{Schema}\".configs WHERE id = 'wh-1'");
        Assert.That(body, Does.Contain("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"));
    }

    private sealed class ReversingProtector : IWebhookSecretProtector
    {
        public string Protect(string plaintext) => "protected:" + Convert.ToBase64String(Encoding.UTF8.GetBytes(plaintext).Reverse().ToArray());

        public string Unprotect(string protectedText) =>
            Encoding.UTF8.GetString(Convert.FromBase64String(protectedText["protected:".Length..]).Reverse().ToArray());
    }
}
