using static Webhooks.Core.Tests.Signing.SigningTestData;

namespace Webhooks.Core.Tests.Signing;

public sealed class RicloudSignerTests
{
    private static readonly WebhookSecret Reference = new() { Key = Secret };
    private static readonly string TimestampPrefix = $"{UnixSeconds}.";

    [Test]
    public void AddSignatureHeaders_OneSecret_AddsOnlyTheDefaultHeaderWithTimestampAndSignature()
    {
        var headers = Sign(new RicloudSigner(), BodyBytes, [Reference]);

        Assert.That(headers, Is.EqualTo(new KeyValuePair<string, string>[]
        {
            new("webhook-signature", $"t=1614265330,s={Hmac(Secret, TimestampPrefix, BodyBytes)}"),
        }));
    }

    [Test]
    public void AddSignatureHeaders_ReferenceSecret_MatchesVectorComputedHere()
    {
        // HMAC-SHA256(base64-decoded key, "1614265330.{"test": 2432232314}"), computed with Python's hmac module.
        const string expected = "t=1614265330,s=6WIDxt6FDn3B/edInvYUC0AtOlpk/iUM0u75gw+sHO8=";
        var headers = Sign(new RicloudSigner(), BodyBytes, [Reference]);

        Assert.That(headers.Header(RicloudSigner.DefaultHeaderName), Is.EqualTo(expected));
    }

    [Test]
    public void AddSignatureHeaders_CustomHeaderName_UsesIt()
    {
        var signer = new RicloudSigner("Ricloud-Signature");

        var headers = Sign(signer, BodyBytes, [Reference]);

        Assert.That(signer.HeaderName, Is.EqualTo("Ricloud-Signature"));
        Assert.That(headers.Select(h => h.Key), Is.EqualTo(new[] { "Ricloud-Signature" }));
    }

    [TestCase("")]
    [TestCase(" ")]
    public void Constructor_BlankHeaderName_ThrowsArgumentException(string name)
    {
        Assert.That(() => new RicloudSigner(name), Throws.ArgumentException);
    }

    // Such a name was taken, and every delivery then failed as the transport refused the header.
    [TestCase("Ricloud Signature")]
    [TestCase("Signature:")]
    [TestCase("Signaturé")]
    public void Constructor_HeaderNameThatIsNotAToken_ThrowsNamingWhatIsAllowed(string name)
    {
        Assert.That(
            () => new RicloudSigner(name),
            Throws.ArgumentException.With.Property(nameof(ArgumentException.ParamName)).EqualTo("headerName")
                .And.Message.Contains("letters, digits and ! # $ % & ' * + - . ^ _ ` | ~"));
    }

    [Test]
    public void AddSignatureHeaders_TwoValidSecrets_OneHeaderWithBothSignaturesNewestFirst()
    {
        var old = SecretCreatedAt(Timestamp.AddDays(-30), expiresAt: Timestamp.AddHours(1));
        var current = SecretCreatedAt(Timestamp.AddMinutes(-5));

        var headers = Sign(new RicloudSigner(), BodyBytes, [old, current]);

        Assert.That(headers, Has.Count.EqualTo(1));
        Assert.That(
            headers.Header(RicloudSigner.DefaultHeaderName),
            Is.EqualTo($"t=1614265330,s={Hmac(current.Key, TimestampPrefix, BodyBytes)},s={Hmac(old.Key, TimestampPrefix, BodyBytes)}"));
    }

    [Test]
    public void AddSignatureHeaders_ExpiredSecret_DoesNotSign()
    {
        var expired = SecretCreatedAt(Timestamp.AddDays(-30), expiresAt: Timestamp.AddSeconds(-1));
        var current = SecretCreatedAt(Timestamp.AddDays(-1));

        var headers = Sign(new RicloudSigner(), BodyBytes, [expired, current]);

        Assert.That(headers.Header(RicloudSigner.DefaultHeaderName), Is.EqualTo($"t=1614265330,s={Hmac(current.Key, TimestampPrefix, BodyBytes)}"));
    }

    [Test]
    public void AddSignatureHeaders_NoValidSecret_ThrowsArgumentException()
    {
        var expired = SecretCreatedAt(Timestamp.AddDays(-30), expiresAt: Timestamp);

        Assert.That(() => Sign(new RicloudSigner(), BodyBytes, [expired]), Throws.ArgumentException);
    }

    [Test]
    public void AddSignatureHeaders_OneMegabyteBody_MatchesIndependentHmac()
    {
        var body = LargeBody(1024 * 1024);

        var headers = Sign(new RicloudSigner(), body, [Reference]);

        Assert.That(headers.Header(RicloudSigner.DefaultHeaderName), Is.EqualTo($"t=1614265330,s={Hmac(Secret, TimestampPrefix, body)}"));
    }
}
