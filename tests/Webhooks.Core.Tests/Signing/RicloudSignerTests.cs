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

    [Test]
    public void AddSignatureHeaders_SecretTextKeying_MatchesVectorComputedHere()
    {
        // HMAC-SHA256(UTF-8 of the whole secret text, "1614265330.{"test": 2432232314}"), computed with Python's hmac
        // module as ricloud's client library computes it: hmac.new(secret, "<t>.<body>", sha256).
        const string expected = "t=1614265330,s=LjffXUoCjFGn8xM9ZK4eMA0sLJAPGx1J1Daa0lMPiWQ=";
        var signer = new RicloudSigner(RicloudSigner.RicloudHeaderName, RicloudSigningKey.SecretText);

        var headers = Sign(signer, BodyBytes, [Reference]);

        Assert.Multiple(() =>
        {
            Assert.That(headers.Header("Ricloud-Signature"), Is.EqualTo(expected));
            Assert.That(signer.Keying, Is.EqualTo(RicloudSigningKey.SecretText));
        });
    }

    [Test]
    public void AddSignatureHeaders_SecretTextKeying_VerifiedAsRicloudsClientLibraryVerifies()
    {
        var body = LargeBody(4096);
        var secret = WebhookSecret.Generate(Timestamp);
        var signer = new RicloudSigner(RicloudSigner.RicloudHeaderName, RicloudSigningKey.SecretText);

        var header = Sign(signer, body, [secret]).Header(RicloudSigner.RicloudHeaderName);
        var decoded = Sign(new RicloudSigner(RicloudSigner.RicloudHeaderName), body, [secret]).Header(RicloudSigner.RicloudHeaderName);

        Assert.Multiple(() =>
        {
            Assert.That(RicloudClientLibraryVerifies(header, body, secret.Key), Is.True);
            Assert.That(RicloudClientLibraryVerifies(decoded, body, secret.Key), Is.False, "the decoded key is not what that library keys with");
        });
    }

    [Test]
    public void Constructor_UndefinedKeying_ThrowsNamingTheAllowedValues()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => _ = new RicloudSigner("Ricloud-Signature", (RicloudSigningKey)7));

        Assert.That(error!.Message, Does.Contain("Allowed: DecodedSecret, SecretText."));
    }

    /// <summary>
    /// Signature.from_header and verify of ricloud's client library (ricloud/signing.py), written again here: the header
    /// split at its first comma, the key the secret's text, the signed text "&lt;t&gt;.&lt;body&gt;".
    /// </summary>
    private static bool RicloudClientLibraryVerifies(string header, byte[] body, string secret)
    {
        var comma = header.IndexOf(',', StringComparison.Ordinal);
        var timestamp = long.Parse(header[2..comma], System.Globalization.CultureInfo.InvariantCulture);
        var signature = Convert.FromBase64String(header[(comma + 3)..]);
        byte[] payload = [.. System.Text.Encoding.UTF8.GetBytes($"{timestamp}."), .. body];
        var expected = System.Security.Cryptography.HMACSHA256.HashData(System.Text.Encoding.UTF8.GetBytes(secret), payload);
        return System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(expected, signature);
    }
}
