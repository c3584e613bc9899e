using System.Net;
using Webhooks.Core.AspNetCore.Tests.Receiving;

namespace Webhooks.Core.AspNetCore.Tests.Samples;

/// <summary>The sample receiver over HTTP: what it accepts and what it rejects.</summary>
public sealed class SampleReceiverTests : SampleFixture
{
    private const string Body = """{"type":"order.created","timestamp":"2025-01-31T08:00:00Z","data":{"orderId":9}}""";

    protected override void Started() => Samples.SetReceiverSecret(SignedRequest.Secret);

    [Test]
    public async Task Post_SignedEvent_Accepted()
    {
        using var response = await Samples.Receiver.Client.SendAsync(SignedRequest.Create("/hooks", "msg_ok", DateTimeOffset.UtcNow, Body));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(Samples.Received.Recent.Select(e => e.Id), Does.Contain("msg_ok"));
    }

    [Test]
    public async Task Post_TamperedBody_Returns401()
    {
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var signature = SignedRequest.Sign(SignedRequest.Secret, "msg_tampered", timestamp, Body);

        using var response = await Samples.Receiver.Client.SendAsync(
            SignedRequest.Create("/hooks", "msg_tampered", timestamp, Body.Replace("9", "90", StringComparison.Ordinal), signature));

        await response.ReadProblemAsync(401);
        Assert.That(Samples.Received.Recent.Select(e => e.Id), Does.Not.Contain("msg_tampered"));
    }

    [Test]
    public async Task Post_StaleTimestamp_Returns401()
    {
        using var response = await Samples.Receiver.Client.SendAsync(SignedRequest.Create("/hooks", "msg_stale", DateTimeOffset.UtcNow.AddMinutes(-10), Body));

        await response.ReadProblemAsync(401);
    }

    [Test]
    public async Task Post_EmptyV1Signature_Returns401()
    {
        using var response = await Samples.Receiver.Client.SendAsync(
            SignedRequest.Create("/hooks", "msg_empty", DateTimeOffset.UtcNow.ToUnixTimeSeconds(), Body, "v1,"));

        await response.ReadProblemAsync(401);
    }

    [Test]
    public async Task Post_Replay_Returns401()
    {
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var signature = SignedRequest.Sign(SignedRequest.Secret, "msg_twice", timestamp, Body);

        using var first = await Samples.Receiver.Client.SendAsync(SignedRequest.Create("/hooks", "msg_twice", timestamp, Body, signature));
        using var second = await Samples.Receiver.Client.SendAsync(SignedRequest.Create("/hooks", "msg_twice", timestamp, Body, signature));

        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        await second.ReadProblemAsync(401);
    }

    [Test]
    public async Task Post_DuringARotation_AcceptsTheOldAndTheNewSecret()
    {
        const string NewSecret = "whsec_K+gAzxL0IxXEn1Nk3aRCv7HdAd3KQ1Gm";
        Samples.SetReceiverSecret($"{SignedRequest.Secret} {NewSecret}");
        try
        {
            using var old = await Samples.Receiver.Client.SendAsync(SignedRequest.Create("/hooks", "msg_old_secret", DateTimeOffset.UtcNow, Body));
            using var rotated = await Samples.Receiver.Client.SendAsync(SignedRequest.Create("/hooks", "msg_new_secret", DateTimeOffset.UtcNow, Body, NewSecret));

            Assert.That((old.StatusCode, rotated.StatusCode), Is.EqualTo((HttpStatusCode.NoContent, HttpStatusCode.NoContent)));
        }
        finally
        {
            Samples.SetReceiverSecret(SignedRequest.Secret);
        }
    }

    [Test]
    public async Task Post_WithoutASecret_Returns401SayingTheSignatureCannotBeVerified()
    {
        Samples.SetReceiverSecret(string.Empty);
        try
        {
            using var response = await Samples.Receiver.Client.SendAsync(SignedRequest.Create("/hooks", "msg_no_secret", DateTimeOffset.UtcNow, Body));

            var problem = await response.ReadProblemAsync(401);
            Assert.That((string?)problem["detail"], Is.EqualTo("The signature cannot be verified."));
        }
        finally
        {
            Samples.SetReceiverSecret(SignedRequest.Secret);
        }
    }

    [Test]
    public async Task Post_Unsigned_Returns401NamingTheHeaders()
    {
        using var response = await Samples.Receiver.Client.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/hooks") { Content = Http.Json(Body) });

        var problem = await response.ReadProblemAsync(401);
        Assert.That((string?)problem["detail"], Is.EqualTo("The webhook-id, webhook-timestamp and webhook-signature headers are required."));
    }

    [Test]
    public async Task GetReceived_AfterADelivery_ListsItsIdTypeAndData()
    {
        using var delivered = await Samples.Receiver.Client.SendAsync(SignedRequest.Create("/hooks", "msg_listed", DateTimeOffset.UtcNow, Body));
        Assert.That(delivered.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));

        using var response = await Samples.Receiver.Client.GetAsync("/received");
        var listed = (await response.ReadJsonAsync()).AsArray().Single(e => (string?)e!["id"] == "msg_listed")!;

        Assert.That((string?)listed["type"], Is.EqualTo("order.created"));
        Assert.That((int?)listed["data"]!["orderId"], Is.EqualTo(9));
    }

    [Test]
    public async Task Get_HpeHandshake_EchoesTheChallenge()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/hooks") { Headers = { { SampleHosts.HpeChallengeHeader, "abc" } } };

        using var response = await Samples.Receiver.Client.SendAsync(request);

        Assert.That((string?)(await response.ReadJsonAsync())["verification"], Is.EqualTo("abc"));
    }
}
