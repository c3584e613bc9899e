using System.Text;
using Microsoft.Extensions.Time.Testing;
using static Webhooks.Core.Tests.Signing.SigningTestData;

namespace Webhooks.Core.Tests.Signing;

public sealed class RicloudVerifierTests
{
    private const string Good = "6WIDxt6FDn3B/edInvYUC0AtOlpk/iUM0u75gw+sHO8=";
    private const string Header = "t=1614265330,s=" + Good;

    private FakeTimeProvider _time = null!;
    private RicloudVerifier _verifier = null!;

    [SetUp]
    public void SetUp()
    {
        _time = new FakeTimeProvider(Timestamp);
        _verifier = new RicloudVerifier([Secret], timeProvider: _time);
    }

    [Test]
    public void Verify_IndependentVector_Valid()
    {
        Assert.That(Good, Is.EqualTo(Hmac(Secret, $"{UnixSeconds}.", BodyBytes)));
        Assert.That(_verifier.Verify(Header, BodyBytes), Is.EqualTo(SignatureVerificationResult.Valid));
    }

    [TestCase(0)]
    [TestCase(1)]
    public void Verify_HeaderFromSignerDuringRotation_ValidWithEitherSecret(int secretIndex)
    {
        WebhookSecret[] secrets =
        [
            SecretCreatedAt(Timestamp.AddDays(-30), expiresAt: Timestamp.AddHours(24)),
            SecretCreatedAt(Timestamp.AddMinutes(-1)),
        ];
        var headers = Sign(new RicloudSigner(), BodyBytes, secrets);
        var verifier = new RicloudVerifier([secrets[secretIndex].Key], timeProvider: _time);

        Assert.That(verifier.IsValid(headers.Header(RicloudSigner.DefaultHeaderName), BodyBytes), Is.True);
    }

    [TestCase("s=" + Good + ",t=1614265330")]
    [TestCase("t=1614265330, s=" + Good)]
    [TestCase("t=1614265330,s=AAAA,s=" + Good)]
    [TestCase("t=1614265330,s=,s=" + Good)]
    [TestCase("t=1614265330,v1=x,s=" + Good)]
    public void Verify_ValidSignatureAmongOtherEntries_Valid(string header)
    {
        Assert.That(_verifier.Verify(header, BodyBytes), Is.EqualTo(SignatureVerificationResult.Valid));
    }

    [TestCase("t=1614265330")]
    [TestCase("t=1614265330,s=")]
    [TestCase("t=1614265330,v1=" + Good)]
    [TestCase("t=1614265330,S=" + Good)]
    [TestCase("t=1614265330,s=!!not-base64!!")]
    public void Verify_NoUsableSignature_NoValidSignature(string header)
    {
        Assert.That(_verifier.Verify(header, BodyBytes), Is.EqualTo(SignatureVerificationResult.NoValidSignature));
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase("s=" + Good)]
    public void Verify_NoHeaderOrNoTimestamp_MissingHeaders(string? header)
    {
        Assert.That(_verifier.Verify(header, BodyBytes), Is.EqualTo(SignatureVerificationResult.MissingHeaders));
    }

    [TestCase("t=1614265330,t=1614265330,s=" + Good)]
    [TestCase("t=,s=" + Good)]
    [TestCase("t=abc,s=" + Good)]
    [TestCase("t=-1,s=" + Good)]
    public void Verify_AmbiguousOrMalformedTimestamp_InvalidTimestamp(string header)
    {
        Assert.That(_verifier.Verify(header, BodyBytes), Is.EqualTo(SignatureVerificationResult.InvalidTimestamp));
    }

    [TestCase(300, SignatureVerificationResult.Valid)]
    [TestCase(-300, SignatureVerificationResult.Valid)]
    [TestCase(301, SignatureVerificationResult.TimestampTooOld)]
    [TestCase(-301, SignatureVerificationResult.TimestampInFuture)]
    public void Verify_ClockOffsetFromTimestamp_ChecksFiveMinuteTolerance(int offsetSeconds, SignatureVerificationResult expected)
    {
        var clock = new FakeTimeProvider(SigningTestData.Timestamp.AddSeconds(offsetSeconds));
        var verifier = new RicloudVerifier([Secret], timeProvider: clock);

        Assert.That(verifier.Verify(Header, BodyBytes), Is.EqualTo(expected));
    }

    [Test]
    public void Verify_TamperedBody_NoValidSignature()
    {
        var tampered = Encoding.UTF8.GetBytes("""{"test": 2432232315}""");

        Assert.That(_verifier.Verify(Header, tampered), Is.EqualTo(SignatureVerificationResult.NoValidSignature));
    }

    [Test]
    public void Verify_StandardWebhooksSignatureOfSameBody_NoValidSignature()
    {
        var standard = "t=1614265330,s=" + ExpectedSignature["v1,".Length..];

        Assert.That(_verifier.Verify(standard, BodyBytes), Is.EqualTo(SignatureVerificationResult.NoValidSignature));
    }

    [Test]
    public void Verify_OneMegabyteBody_Valid()
    {
        var body = LargeBody(1024 * 1024);
        var header = $"t={UnixSeconds},s={Hmac(Secret, $"{UnixSeconds}.", body)}";

        Assert.That(_verifier.Verify(header, body), Is.EqualTo(SignatureVerificationResult.Valid));
    }

    [Test]
    public void IsValid_WrongSecret_False()
    {
        var verifier = new RicloudVerifier([WebhookSecret.Generate(default).Key], timeProvider: _time);

        Assert.That(verifier.IsValid(Header, BodyBytes), Is.False);
    }

    [Test]
    public void Constructor_NoSecrets_ThrowsArgumentException()
    {
        Assert.That(() => new RicloudVerifier([]), Throws.ArgumentException);
    }
    [TestCase("whsec_")]
    [TestCase("whsec_AAAAAAAAAAAAAAAAAAAA")]
    public void Constructor_KeyUnder16Bytes_IsRefused(string secret)
    {
        // An empty key ("whsec_" + a missing setting) would let anyone compute a valid signature.
        Assert.That(() => new RicloudVerifier([secret]), Throws.ArgumentException.With.Message.Contains("at least 16 are required"));
    }

    [Test]
    public void Verify_SecretTextKeying_TakesWhatTheSignerKeyedSoAndRefusesTheOther()
    {
        var secret = WebhookSecret.Generate(Timestamp);
        var headers = new List<KeyValuePair<string, string>>();
        new RicloudSigner(RicloudSigner.RicloudHeaderName, RicloudSigningKey.SecretText).AddSignatureHeaders("msg_1", Timestamp, BodyBytes, [secret], headers);
        var header = headers.Single().Value;

        Assert.Multiple(() =>
        {
            Assert.That(new RicloudVerifier([secret.Key], timeProvider: _time, keying: RicloudSigningKey.SecretText).Verify(header, BodyBytes), Is.EqualTo(SignatureVerificationResult.Valid));
            Assert.That(new RicloudVerifier([secret.Key], timeProvider: _time).Verify(header, BodyBytes), Is.EqualTo(SignatureVerificationResult.NoValidSignature));
        });
    }

    [Test]
    public void Constructor_UndefinedKeying_ThrowsNamingTheAllowedValues()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => _ = new RicloudVerifier([Secret], keying: (RicloudSigningKey)(-1)));

        Assert.That(error!.Message, Does.Contain("Allowed: DecodedSecret, SecretText."));
    }
}
