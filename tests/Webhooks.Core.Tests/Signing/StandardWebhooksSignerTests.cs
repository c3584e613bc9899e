using Webhooks.Core.Internal;
using static Webhooks.Core.Tests.Signing.SigningTestData;

namespace Webhooks.Core.Tests.Signing;

public sealed class StandardWebhooksSignerTests
{
    private static readonly WebhookSecret Reference = new() { Key = Secret };
    private readonly StandardWebhooksSigner _signer = new();

    [Test]
    public void AddSignatureHeaders_ReferenceVector_ProducesKnownSignature()
    {
        var headers = Sign(_signer, BodyBytes, [Reference]);

        Assert.That(headers.Header(StandardWebhooksHeaders.Signature), Is.EqualTo(ExpectedSignature));
    }

    [Test]
    public void AddSignatureHeaders_ReferenceVector_AddsIdTimestampAndSignatureHeaders()
    {
        var headers = Sign(_signer, BodyBytes, [Reference]);

        Assert.That(headers, Is.EqualTo(new KeyValuePair<string, string>[]
        {
            new("webhook-id", MessageId),
            new("webhook-timestamp", "1614265330"),
            new("webhook-signature", ExpectedSignature),
        }));
    }

    [Test]
    public void AddSignatureHeaders_SubSecondTimestamp_SignsWholeUnixSeconds()
    {
        var headers = Sign(_signer, BodyBytes, [Reference], Timestamp.AddMilliseconds(999));

        Assert.That(headers.Header(StandardWebhooksHeaders.Timestamp), Is.EqualTo("1614265330"));
        Assert.That(headers.Header(StandardWebhooksHeaders.Signature), Is.EqualTo(ExpectedSignature));
    }

    [Test]
    public void AddSignatureHeaders_SecretWithoutPrefix_SignsWithTheSameKey()
    {
        var headers = Sign(_signer, BodyBytes, [new WebhookSecret { Key = Secret["whsec_".Length..] }]);

        Assert.That(headers.Header(StandardWebhooksHeaders.Signature), Is.EqualTo(ExpectedSignature));
    }

    [Test]
    public void AddSignatureHeaders_TwoValidSecrets_SignsWithBothNewestFirst()
    {
        var old = SecretCreatedAt(Timestamp.AddDays(-30), expiresAt: Timestamp.AddHours(1));
        var current = SecretCreatedAt(Timestamp.AddMinutes(-5));

        var headers = Sign(_signer, BodyBytes, [old, current]);

        var prefix = $"{MessageId}.{UnixSeconds}.";
        Assert.That(
            headers.Header(StandardWebhooksHeaders.Signature),
            Is.EqualTo($"v1,{Hmac(current.Key, prefix, BodyBytes)} v1,{Hmac(old.Key, prefix, BodyBytes)}"));
    }

    [Test]
    public void AddSignatureHeaders_ExpiredSecret_DoesNotSign()
    {
        var expired = SecretCreatedAt(Timestamp.AddDays(-30), expiresAt: Timestamp.AddSeconds(-1));
        var current = SecretCreatedAt(Timestamp.AddDays(-1));

        var headers = Sign(_signer, BodyBytes, [current, expired]);

        Assert.That(
            headers.Header(StandardWebhooksHeaders.Signature),
            Is.EqualTo($"v1,{Hmac(current.Key, $"{MessageId}.{UnixSeconds}.", BodyBytes)}"));
    }

    [Test]
    public void AddSignatureHeaders_SecretExpiringAtTheAttemptTime_DoesNotSign()
    {
        var expiring = SecretCreatedAt(Timestamp.AddDays(-30), expiresAt: Timestamp);
        var current = SecretCreatedAt(Timestamp.AddDays(-1));

        var headers = Sign(_signer, BodyBytes, [expiring, current]);

        Assert.That(headers.Header(StandardWebhooksHeaders.Signature).Split(' '), Has.Length.EqualTo(1));
    }

    [Test]
    public void AddSignatureHeaders_NoValidSecret_ThrowsAndAddsNothing()
    {
        var expired = SecretCreatedAt(Timestamp.AddDays(-30), expiresAt: Timestamp.AddSeconds(-1));
        var headers = new List<KeyValuePair<string, string>>();

        Assert.That(
            () => _signer.AddSignatureHeaders(MessageId, Timestamp, BodyBytes, [expired], headers),
            Throws.ArgumentException.With.Property(nameof(ArgumentException.ParamName)).EqualTo("secrets"));
        Assert.That(headers, Is.Empty);
    }

    [Test]
    public void AddSignatureHeaders_SecretNotBase64_ThrowsFormatException()
    {
        Assert.That(
            () => Sign(_signer, BodyBytes, [new WebhookSecret { Key = "whsec_not*base64" }]),
            Throws.TypeOf<FormatException>());
    }

    [Test]
    public void AddSignatureHeaders_EmptyMessageId_ThrowsArgumentException()
    {
        Assert.That(() => Sign(_signer, BodyBytes, [Reference], messageId: ""), Throws.ArgumentException);
    }

    [Test]
    public void AddSignatureHeaders_KeyLargerThanStackBuffer_SignsWithTheWholeKey()
    {
        var key = "whsec_" + Convert.ToBase64String(LargeBody(SigningKey.StackBufferSize + 72));

        var headers = Sign(_signer, BodyBytes, [new WebhookSecret { Key = key }]);

        Assert.That(
            headers.Header(StandardWebhooksHeaders.Signature),
            Is.EqualTo($"v1,{Hmac(key, $"{MessageId}.{UnixSeconds}.", BodyBytes)}"));
    }

    [Test]
    public void AddSignatureHeaders_ManySecrets_SignsWithEveryOneNewestFirst()
    {
        var secrets = Enumerable.Range(0, 25).Select(i => SecretCreatedAt(Timestamp.AddMinutes(-i))).Reverse().ToArray();

        var headers = Sign(_signer, BodyBytes, secrets);

        var expected = secrets.Reverse().Select(s => "v1," + Hmac(s.Key, $"{MessageId}.{UnixSeconds}.", BodyBytes));
        Assert.That(headers.Header(StandardWebhooksHeaders.Signature), Is.EqualTo(string.Join(' ', expected)));
    }

    [TestCase(0)]
    [TestCase(HmacInput.ContiguousBodyLimit - 1)]
    [TestCase(HmacInput.ContiguousBodyLimit)]
    [TestCase(HmacInput.ContiguousBodyLimit + 1)]
    [TestCase(1024 * 1024)]
    public void AddSignatureHeaders_BodyOfSize_MatchesIndependentHmac(int size)
    {
        var body = LargeBody(size);

        var headers = Sign(_signer, body, [Reference]);

        Assert.That(
            headers.Header(StandardWebhooksHeaders.Signature),
            Is.EqualTo($"v1,{Hmac(Secret, $"{MessageId}.{UnixSeconds}.", body)}"));
    }

    [Test]
    public void AddSignatureHeaders_NonAsciiMessageId_SignsItsUtf8Bytes()
    {
        const string id = "msg_é✓";

        var headers = Sign(_signer, BodyBytes, [Reference], messageId: id);

        Assert.That(
            headers.Header(StandardWebhooksHeaders.Signature),
            Is.EqualTo($"v1,{Hmac(Secret, $"{id}.{UnixSeconds}.", BodyBytes)}"));
    }
}
