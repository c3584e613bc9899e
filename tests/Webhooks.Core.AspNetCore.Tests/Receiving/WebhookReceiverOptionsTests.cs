using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Webhooks.Core.AspNetCore.Tests.Receiving;

public sealed class WebhookReceiverOptionsTests
{
    [Test]
    public async Task ChallengeHeaderName_HpeName_AnswersHpeHandshake()
    {
        await using var receiver = await ReceiverHost.StartAsync(o => o.ChallengeHeaderName = "x-compute-ops-mgmt-verification-challenge");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/hooks") { Headers = { { "x-compute-ops-mgmt-verification-challenge", "hpe-42" } } };

        using var response = await receiver.Client.SendAsync(request);

        Assert.That((string?)(await response.ReadJsonAsync())["verification"], Is.EqualTo("hpe-42"));
    }

    [Test]
    public async Task Secrets_None_Returns401()
    {
        await using var receiver = await ReceiverHost.StartAsync(_ => { });

        using var response = await receiver.Client.SendAsync(SignedRequest.Create("/hooks", "msg_1", receiver.Time.GetUtcNow(), """{"type":"a"}"""));

        await response.ReadProblemAsync(401);
        Assert.That(receiver.Handled, Is.Empty);
    }

    [TestCase("not-a-secret!")]
    [TestCase("whsec_")]
    [TestCase("whsec_c2hvcnQ=")]
    public void Secrets_NotASigningSecret_FailsWhenMappedNamingIt(string secret)
    {
        var error = Assert.ThrowsAsync<ArgumentException>(async () =>
        {
            await using var receiver = await ReceiverHost.StartAsync(o =>
            {
                o.Secrets.Add(SignedRequest.Secret);
                o.Secrets.Add(secret);
            });
        });

        Assert.That(error!.Message, Does.Contain("options.Secrets[1] is not a signing secret").And.Contain("whsec_"));
    }

    [Test]
    public async Task SecretResolver_NotASigningSecret_Answers500ProblemSayingSo()
    {
        await using var receiver = await ReceiverHost.StartAsync(o => o.SecretResolver = _ => ValueTask.FromResult<IReadOnlyList<string>>(["x"]));

        using var response = await receiver.Client.SendAsync(SignedRequest.Create("/hooks", "msg_1", receiver.Time.GetUtcNow(), """{"type":"a"}"""));

        var problem = await response.ReadProblemAsync(500);
        Assert.That((string?)problem["detail"], Does.Contain("SecretResolver").And.Contain("whsec_"));
        Assert.That(receiver.Handled, Is.Empty);
    }

    [Test]
    public async Task SecretResolver_ReturnsNullForAnUnknownTenant_Returns401WithTheConfiguredSecretsStillUsed()
    {
        await using var receiver = await ReceiverHost.StartAsync(o =>
        {
            o.Secrets.Add(SignedRequest.Secret);
            o.SecretResolver = _ => ValueTask.FromResult<IReadOnlyList<string>>(null!);
        });

        using var forged = await receiver.Client.SendAsync(SignedRequest.Create("/hooks", "msg_1", receiver.Time.GetUtcNow(), """{"type":"a"}""", "whsec_" + Convert.ToBase64String(new byte[24])));
        using var signed = await receiver.Client.SendAsync(SignedRequest.Create("/hooks", "msg_2", receiver.Time.GetUtcNow(), """{"type":"a"}"""));

        await forged.ReadProblemAsync(401);
        Assert.That(signed.StatusCode, Is.EqualTo(HttpStatusCode.OK), await signed.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task Secrets_ListChangedAfterMappingToHoldANonSecret_Answers500ProblemNamingTheList()
    {
        // The list is read on every request, so a host may change it after mapping, past the check made then.
        WebhookReceiverOptions? mapped = null;
        await using var receiver = await ReceiverHost.StartAsync(o =>
        {
            o.Secrets.Add(SignedRequest.Secret);
            mapped = o;
        });
        mapped!.Secrets.Add("whsec_c2hvcnQ=");

        using var response = await receiver.Client.SendAsync(SignedRequest.Create("/hooks", "msg_1", receiver.Time.GetUtcNow(), """{"type":"a"}"""));

        var problem = await response.ReadProblemAsync(500);
        Assert.That((string?)problem["detail"], Does.Contain("Secrets").And.Contain("whsec_"));
        Assert.That(receiver.Handled, Is.Empty);
    }

    [Test]
    public async Task AnswerChallenges_Off_HandshakeWithTheChallenge_Returns405SayingHandshakesAreNotAnswered()
    {
        await using var receiver = await ReceiverHost.StartAsync(o =>
        {
            o.Secrets.Add(SignedRequest.Secret);
            o.AnswerChallenges = false;
        });
        using var request = new HttpRequestMessage(HttpMethod.Get, "/hooks") { Headers = { { "webhook-verification-challenge", "c-1" } } };

        using var response = await receiver.Client.SendAsync(request);

        // Not 400 "a handshake GET carries the challenge in this header": it does carry it.
        var problem = await response.ReadProblemAsync(405);
        Assert.That((string?)problem["detail"], Does.Contain("does not answer handshakes"));
        Assert.That(response.Content.Headers.Allow, Is.EqualTo(new[] { "POST" }));
    }

    [Test]
    public async Task SecretResolver_ReadPerRequest_AppliesASecretSetAfterStart()
    {
        var secrets = new List<string>();
        await using var receiver = await ReceiverHost.StartAsync(o => o.SecretResolver = _ => ValueTask.FromResult<IReadOnlyList<string>>([.. secrets]));

        using var before = await receiver.Client.SendAsync(SignedRequest.Create("/hooks", "msg_1", receiver.Time.GetUtcNow(), """{"type":"a"}"""));
        secrets.Add(SignedRequest.Secret);
        using var after = await receiver.Client.SendAsync(SignedRequest.Create("/hooks", "msg_1", receiver.Time.GetUtcNow().AddSeconds(1), """{"type":"a"}"""));

        Assert.That(before.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(after.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Tolerance_SpecReferenceVectorAtItsTime_IsAccepted()
    {
        await using var receiver = await ReceiverHost.StartAsync(o => o.Secrets.Add(SignedRequest.Secret), DateTimeOffset.FromUnixTimeSeconds(1614265330));

        using var response = await receiver.Client.SendAsync(SignedRequest.Create(
            "/hooks", "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, """{"test": 2432232314}""", "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="));

        // Authentic, so it gets past the signature; the body is not an event, which is a 400, not a 401.
        await response.ReadProblemAsync(400);
    }

    [Test]
    public async Task Tolerance_Shorter_RejectsWhatTheDefaultAccepts()
    {
        await using var receiver = await ReceiverHost.StartAsync(o =>
        {
            o.Secrets.Add(SignedRequest.Secret);
            o.Tolerance = TimeSpan.FromSeconds(30);
        });

        using var response = await receiver.Client.SendAsync(SignedRequest.Create("/hooks", "msg_1", receiver.Time.GetUtcNow().AddMinutes(-1), """{"type":"a"}"""));

        await response.ReadProblemAsync(401);
    }

    [Test]
    public async Task Options_OutOfRange_AreRefusedWhereTheyAreGivenNamingTheOption()
    {
        await using var app = WebApplication.CreateSlimBuilder().Build();

        var receiver = Assert.Throws<ArgumentOutOfRangeException>(() =>
            app.MapWebhookReceiver("/hooks", o => o.Tolerance = TimeSpan.FromSeconds(-1), (_, _) => Task.FromResult(Results.Ok())));
        var ownEndpoint = Assert.Throws<ArgumentOutOfRangeException>(() =>
            app.MapPost("/own", () => Results.Ok()).RequireWebhookSignature(o => o.MaxBodySize = 0));

        Assert.That((receiver!.ParamName, ownEndpoint!.ParamName), Is.EqualTo(("options.Tolerance", "options.MaxBodySize")));
    }

    [Test]
    public async Task MaxBodySize_LargerThanABufferCanHold_IsRefusedWhenMappedNamingTheOption()
    {
        // The body is checked in one buffer: a value meant as "no limit" would fail a large delivery with a bare 500.
        await using var app = WebApplication.CreateSlimBuilder().Build();

        var error = Assert.Throws<ArgumentOutOfRangeException>(() =>
            app.MapWebhookReceiver("/hooks", o => o.MaxBodySize = long.MaxValue, (_, _) => Task.FromResult(Results.Ok())));

        Assert.That(error!.ParamName, Is.EqualTo("options.MaxBodySize"));
    }
}
