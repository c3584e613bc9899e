namespace Webhooks.Core.Tests.Signing;

public sealed class WebhookSecretTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    [Test]
    public void Generate_Default_IsPrefixedBase64OfThirtyTwoBytes()
    {
        var secret = WebhookSecret.Generate(Now);

        Assert.That(secret.Key, Does.StartWith("whsec_"));
        Assert.That(Convert.FromBase64String(secret.Key["whsec_".Length..]), Has.Length.EqualTo(32));
    }

    [Test]
    public void Generate_Default_IsPrimaryFromCreation()
    {
        var secret = WebhookSecret.Generate(Now);

        Assert.That(secret.CreatedAt, Is.EqualTo(Now));
        Assert.That(secret.ExpiresAt, Is.Null);
        Assert.That(secret.IsValidAt(Now.AddYears(10)), Is.True);
    }

    [TestCase(24)]
    [TestCase(48)]
    [TestCase(64)]
    public void Generate_ByteCountInRange_DecodesToThatManyBytes(int byteCount)
    {
        var secret = WebhookSecret.Generate(Now, byteCount);

        Assert.That(WebhookSecret.DecodeKey(secret.Key), Has.Length.EqualTo(byteCount));
    }

    [TestCase(0)]
    [TestCase(23)]
    [TestCase(65)]
    public void Generate_ByteCountOutOfRange_ThrowsArgumentOutOfRangeException(int byteCount)
    {
        Assert.That(() => WebhookSecret.Generate(Now, byteCount), Throws.TypeOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void Generate_ManyTimes_AllDifferent()
    {
        var keys = Enumerable.Range(0, 1000).Select(_ => WebhookSecret.Generate(Now).Key).ToList();

        Assert.That(keys, Is.Unique);
    }

    [Test]
    public void IsValidAt_ExpiryTime_ValidBeforeNotAtOrAfter()
    {
        var secret = WebhookSecret.Generate(Now) with { ExpiresAt = Now.AddHours(24) };

        Assert.That(secret.IsValidAt(Now.AddHours(24).AddTicks(-1)), Is.True);
        Assert.That(secret.IsValidAt(Now.AddHours(24)), Is.False);
    }

    [Test]
    public void DecodeKey_WithAndWithoutPrefix_SameBytes()
    {
        Assert.That(
            WebhookSecret.DecodeKey("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"),
            Is.EqualTo(WebhookSecret.DecodeKey("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")).And.Length.EqualTo(24));
    }

    [Test]
    public void ToString_Secret_ShowsItsDatesButNotItsKey()
    {
        var secret = WebhookSecret.Generate(Now) with { ExpiresAt = Now.AddHours(24) };

        // Records print every property: a secret logged or put in a message must not give its key away.
        var text = secret.ToString();

        Assert.That(text, Does.Not.Contain(secret.Key).And.Not.Contain(secret.Key["whsec_".Length..]));
        Assert.That(text, Does.Contain(nameof(WebhookSecret.CreatedAt)).And.Contain(nameof(WebhookSecret.ExpiresAt)));
    }
}
