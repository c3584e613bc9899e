using System.Text;
using Microsoft.Extensions.Time.Testing;
using static Webhooks.Core.Tests.Signing.SigningTestData;

namespace Webhooks.Core.Tests.Signing;

public sealed class StandardWebhooksVerifierTests
{
    private const string Timestamp = "1614265330";
    private const string Good = "g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    private FakeTimeProvider _time = null!;
    private StandardWebhooksVerifier _verifier = null!;

    [SetUp]
    public void SetUp()
    {
        _time = new FakeTimeProvider(SigningTestData.Timestamp);
        _verifier = new StandardWebhooksVerifier([Secret], timeProvider: _time);
    }

    [Test]
    public void Verify_ReferenceVector_Valid()
    {
        Assert.That(_verifier.Verify(MessageId, Timestamp, ExpectedSignature, BodyBytes), Is.EqualTo(SignatureVerificationResult.Valid));
    }

    [Test]
    public void Verify_HeadersFromSigner_Valid()
    {
        var secret = WebhookSecret.Generate(SigningTestData.Timestamp);
        var body = LargeBody(1024);
        var headers = Sign(new StandardWebhooksSigner(), body, [secret]);
        var verifier = new StandardWebhooksVerifier([secret.Key], timeProvider: _time);

        var result = verifier.Verify(
            headers.Header(StandardWebhooksHeaders.Id),
            headers.Header(StandardWebhooksHeaders.Timestamp),
            headers.Header(StandardWebhooksHeaders.Signature),
            body);

        Assert.That(result, Is.EqualTo(SignatureVerificationResult.Valid));
    }

    [TestCase(0)]
    [TestCase(1)]
    public void Verify_DuringRotationWithEitherSecret_Valid(int secretIndex)
    {
        WebhookSecret[] secrets =
        [
            SecretCreatedAt(SigningTestData.Timestamp.AddDays(-30), expiresAt: SigningTestData.Timestamp.AddHours(24)),
            SecretCreatedAt(SigningTestData.Timestamp.AddMinutes(-1)),
        ];
        var headers = Sign(new StandardWebhooksSigner(), BodyBytes, secrets);
        var verifier = new StandardWebhooksVerifier([secrets[secretIndex].Key], timeProvider: _time);

        Assert.That(verifier.IsValid(MessageId, Timestamp, headers.Header(StandardWebhooksHeaders.Signature), BodyBytes), Is.True);
    }

    [Test]
    public void Verify_VerifierKnowsSeveralSecretsAndHeaderHasOne_Valid()
    {
        var verifier = new StandardWebhooksVerifier([WebhookSecret.Generate(default).Key, Secret], timeProvider: _time);

        Assert.That(verifier.Verify(MessageId, Timestamp, ExpectedSignature, BodyBytes), Is.EqualTo(SignatureVerificationResult.Valid));
    }

    [TestCase(-300, SignatureVerificationResult.Valid)]
    [TestCase(300, SignatureVerificationResult.Valid)]
    [TestCase(301, SignatureVerificationResult.TimestampTooOld)]
    [TestCase(-301, SignatureVerificationResult.TimestampInFuture)]
    [TestCase(86_400, SignatureVerificationResult.TimestampTooOld)]
    public void Verify_ClockOffsetFromTimestamp_ChecksFiveMinuteTolerance(int offsetSeconds, SignatureVerificationResult expected)
    {
        var clock = new FakeTimeProvider(SigningTestData.Timestamp.AddSeconds(offsetSeconds));
        var verifier = new StandardWebhooksVerifier([Secret], timeProvider: clock);

        Assert.That(verifier.Verify(MessageId, Timestamp, ExpectedSignature, BodyBytes), Is.EqualTo(expected));
    }

    [Test]
    public void Verify_ClockHalfASecondPastTolerance_ComparesWholeSecondsAndAccepts()
    {
        _time.Advance(TimeSpan.FromSeconds(300.5));

        Assert.That(_verifier.Verify(MessageId, Timestamp, ExpectedSignature, BodyBytes), Is.EqualTo(SignatureVerificationResult.Valid));
    }

    [TestCase(30, SignatureVerificationResult.Valid)]
    [TestCase(31, SignatureVerificationResult.TimestampTooOld)]
    public void Verify_CustomTolerance_IsUsed(int offsetSeconds, SignatureVerificationResult expected)
    {
        var verifier = new StandardWebhooksVerifier([Secret], new SignatureVerificationOptions { Tolerance = TimeSpan.FromSeconds(30) }, _time);
        _time.Advance(TimeSpan.FromSeconds(offsetSeconds));

        Assert.That(verifier.Verify(MessageId, Timestamp, ExpectedSignature, BodyBytes), Is.EqualTo(expected));
    }

    [TestCase("v1,")]
    [TestCase("v1, v1,")]
    [TestCase("v1,=")]
    public void Verify_EmptySignature_NoValidSignature(string header)
    {
        Assert.That(_verifier.Verify(MessageId, Timestamp, header, BodyBytes), Is.EqualTo(SignatureVerificationResult.NoValidSignature));
    }

    [TestCase("v2," + Good)]
    [TestCase("v1a," + Good)]
    [TestCase("V1," + Good)]
    [TestCase(Good)]
    [TestCase("v1" + Good)]
    public void Verify_OnlyUnknownVersionsOrShapes_NoValidSignature(string header)
    {
        Assert.That(_verifier.Verify(MessageId, Timestamp, header, BodyBytes), Is.EqualTo(SignatureVerificationResult.NoValidSignature));
    }

    [TestCase("v2,abc v1," + Good)]
    [TestCase("v1, v1," + Good)]
    [TestCase("v1,!!not-base64!! v1," + Good)]
    [TestCase("v1,AAAA v1," + Good)]
    [TestCase("v1," + Good + " v2,xyz")]
    [TestCase("  v1," + Good + "  ")]
    public void Verify_ValidSignatureAmongSkippedOnes_Valid(string header)
    {
        Assert.That(_verifier.Verify(MessageId, Timestamp, header, BodyBytes), Is.EqualTo(SignatureVerificationResult.Valid));
    }

    [TestCase("v1," + Good + ", v1,AAAA")]
    [TestCase("v2,abc, v1," + Good + ", v1,AAAA")]
    [TestCase("v1," + Good + ",")]
    // Joined with a comma alone, or a comma and a tab: the optional whitespace of RFC 9110's list syntax.
    [TestCase("v1," + Good + ",v1,AAAA")]
    [TestCase("v1,AAAA,v1," + Good)]
    [TestCase("v2,abc,v1," + Good)]
    [TestCase("v1,AAAA,\tv1," + Good)]
    public void Verify_SignaturesCombinedWithCommasAsHttpAllows_Valid(string header)
    {
        // RFC 9110 lets an intermediary combine several field lines into one, joined by a comma and a space.
        Assert.That(_verifier.Verify(MessageId, Timestamp, header, BodyBytes), Is.EqualTo(SignatureVerificationResult.Valid));
    }

    [TestCase("v1,, v1,")]
    [TestCase(",v1,")]
    public void Verify_EmptySignaturesCombinedWithCommas_NoValidSignature(string header)
    {
        Assert.That(_verifier.Verify(MessageId, Timestamp, header, BodyBytes), Is.EqualTo(SignatureVerificationResult.NoValidSignature));
    }

    [TestCase("v1,!!not-base64!!")]
    [TestCase("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1O==")]
    [TestCase("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=AAAA")]
    // The base64 decoder skips whitespace; a signature holds none, as "v1, " + Good does not match either.
    [TestCase("v1,g0hM9SsE+OTPJ\tTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")]
    [TestCase("v1,\t" + Good)]
    [TestCase("v1,g0hM9SsE+OTPJ\r\nTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")]
    public void Verify_MalformedOrWrongLengthSignature_NoValidSignature(string header)
    {
        Assert.That(_verifier.Verify(MessageId, Timestamp, header, BodyBytes), Is.EqualTo(SignatureVerificationResult.NoValidSignature));
    }

    [Test]
    public void Verify_TamperedBody_NoValidSignature()
    {
        var tampered = Encoding.UTF8.GetBytes("""{"test": 2432232315}""");

        Assert.That(_verifier.Verify(MessageId, Timestamp, ExpectedSignature, tampered), Is.EqualTo(SignatureVerificationResult.NoValidSignature));
    }

    [Test]
    public void Verify_TamperedId_NoValidSignature()
    {
        Assert.That(_verifier.Verify("msg_other", Timestamp, ExpectedSignature, BodyBytes), Is.EqualTo(SignatureVerificationResult.NoValidSignature));
    }

    [Test]
    public void Verify_TamperedTimestampWithinTolerance_NoValidSignature()
    {
        Assert.That(_verifier.Verify(MessageId, "1614265331", ExpectedSignature, BodyBytes), Is.EqualTo(SignatureVerificationResult.NoValidSignature));
    }

    [Test]
    public void Verify_WrongSecret_NoValidSignature()
    {
        var verifier = new StandardWebhooksVerifier([WebhookSecret.Generate(default).Key], timeProvider: _time);

        Assert.That(verifier.Verify(MessageId, Timestamp, ExpectedSignature, BodyBytes), Is.EqualTo(SignatureVerificationResult.NoValidSignature));
    }

    [TestCase(null, Timestamp, ExpectedSignature)]
    [TestCase("", Timestamp, ExpectedSignature)]
    [TestCase(MessageId, null, ExpectedSignature)]
    [TestCase(MessageId, "", ExpectedSignature)]
    [TestCase(MessageId, Timestamp, null)]
    [TestCase(MessageId, Timestamp, "")]
    public void Verify_MissingHeader_MissingHeaders(string? id, string? timestamp, string? signature)
    {
        Assert.That(_verifier.Verify(id, timestamp, signature, BodyBytes), Is.EqualTo(SignatureVerificationResult.MissingHeaders));
    }

    [TestCase("abc")]
    [TestCase("-1614265330")]
    [TestCase("+1614265330")]
    [TestCase(" 1614265330")]
    [TestCase("1614265330 ")]
    [TestCase("1614265330.5")]
    [TestCase("1.6e9")]
    [TestCase("2021-02-25T15:02:10Z")]
    [TestCase("99999999999999999999")]
    [TestCase("1614265330\0")] // NumberStyles.None alone takes trailing NULs
    public void Verify_TimestampNotUnixSeconds_InvalidTimestamp(string timestamp)
    {
        Assert.That(_verifier.Verify(MessageId, timestamp, ExpectedSignature, BodyBytes), Is.EqualTo(SignatureVerificationResult.InvalidTimestamp));
    }

    [TestCase("9223372036854775807", SignatureVerificationResult.TimestampInFuture)]
    [TestCase("0", SignatureVerificationResult.TimestampTooOld)]
    public void Verify_ExtremeTimestamp_OutsideTolerance(string timestamp, SignatureVerificationResult expected)
    {
        Assert.That(_verifier.Verify(MessageId, timestamp, ExpectedSignature, BodyBytes), Is.EqualTo(expected));
    }

    [Test]
    public void Verify_OneMegabyteBody_Valid()
    {
        var body = LargeBody(1024 * 1024);
        var header = "v1," + Hmac(Secret, $"{MessageId}.{Timestamp}.", body);

        Assert.That(_verifier.Verify(MessageId, Timestamp, header, body), Is.EqualTo(SignatureVerificationResult.Valid));
    }

    [Test]
    public void IsValid_InvalidRequest_False()
    {
        Assert.That(_verifier.IsValid(MessageId, Timestamp, "v1,", BodyBytes), Is.False);
    }

    [Test]
    public void Constructor_NoSecrets_ThrowsArgumentException()
    {
        Assert.That(() => new StandardWebhooksVerifier([]), Throws.ArgumentException);
    }

    [Test]
    public void Constructor_EmptySecret_ThrowsArgumentException()
    {
        Assert.That(() => new StandardWebhooksVerifier([""]), Throws.ArgumentException);
    }

    [Test]
    public void Constructor_SecretNotBase64_ThrowsFormatException()
    {
        Assert.That(() => new StandardWebhooksVerifier(["whsec_***"]), Throws.TypeOf<FormatException>());
    }

    [Test]
    public void Constructor_NegativeTolerance_ThrowsArgumentOutOfRangeException()
    {
        var options = new SignatureVerificationOptions { Tolerance = TimeSpan.FromSeconds(-1) };

        Assert.That(() => new StandardWebhooksVerifier([Secret], options), Throws.TypeOf<ArgumentOutOfRangeException>());
    }
    [TestCase("whsec_")]
    [TestCase("whsec_AAAAAAAAAAAAAAAAAAAA")]
    public void Constructor_KeyUnder16Bytes_IsRefused(string secret)
    {
        // An empty key ("whsec_" + a missing setting) would let anyone compute a valid signature.
        Assert.That(() => new StandardWebhooksVerifier([secret]), Throws.ArgumentException.With.Message.Contains("at least 16 are required"));
    }
}
