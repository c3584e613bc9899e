using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Webhooks.Core.AspNetCore.Tests.Receiving;

/// <summary>
/// One app with several receivers: the signature does not cover the URL, so a delivery one route accepted is a replay to
/// every other route that holds the same secret, whatever maps it and whatever its tolerance.
/// </summary>
public sealed class CrossRouteReplayTests
{
    private const string Body = """{"type":"order.created","data":{"orderId":42}}""";
    private const string OtherSecret = "whsec_b2xkLXNlY3JldC1rZXktYnl0ZXMtMTIzNDU2Nzg=";

    private FakeTimeProvider _time = null!;
    private ConcurrentQueue<string> _handled = null!;

    [SetUp]
    public void SetUp()
    {
        _time = new FakeTimeProvider(new DateTimeOffset(2025, 1, 31, 8, 0, 0, TimeSpan.Zero));
        _handled = new ConcurrentQueue<string>();
    }

    [TestCase("/b", TestName = "Receive_DeliveryAcceptedOnOneRoute_IsAReplayToAnotherReceiverWithTheSameSecret")]
    [TestCase("/own", TestName = "Receive_DeliveryAcceptedOnOneRoute_IsAReplayToARequireWebhookSignatureEndpointWithTheSameSecret")]
    public async Task Receive_DeliveryAcceptedOnOneRoute_IsAReplayToAnotherRoute(string other)
    {
        await using var host = await StartAsync();
        var timestamp = _time.GetUtcNow().ToUnixTimeSeconds();
        var signature = SignedRequest.Sign(SignedRequest.Secret, "msg_cross", timestamp, Body);

        using var first = await host.Client.SendAsync(SignedRequest.Create("/a", "msg_cross", timestamp, Body, signature));
        using var replay = await host.Client.SendAsync(SignedRequest.Create(other, "msg_cross", timestamp, Body, signature));

        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var problem = await replay.ReadProblemAsync(401);
        Assert.That((string?)problem["detail"], Does.Contain("replay"));
        Assert.That(_handled, Is.EqualTo(new[] { "/a" }));
    }

    [Test]
    public async Task Receive_ReplayToARouteWithALongerTolerance_AfterTheFirstRoutesWindow_Returns401()
    {
        await using var host = await StartAsync();
        var timestamp = _time.GetUtcNow().ToUnixTimeSeconds();
        var signature = SignedRequest.Sign(SignedRequest.Secret, "msg_window", timestamp, Body);

        using var first = await host.Client.SendAsync(SignedRequest.Create("/short", "msg_window", timestamp, Body, signature));
        // Past /short's minute, still within /long's ten.
        _time.Advance(TimeSpan.FromMinutes(2));
        using var replay = await host.Client.SendAsync(SignedRequest.Create("/long", "msg_window", timestamp, Body, signature));

        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var problem = await replay.ReadProblemAsync(401);
        Assert.That((string?)problem["detail"], Does.Contain("replay"));
    }

    [Test]
    public async Task Receive_UnrelatedSendersWithTheSameIdAndTimestamp_AreBothHandled()
    {
        // Two providers, each with its own secret and route, happen to pick the same webhook-id in the same second.
        await using var host = await StartAsync();
        var now = _time.GetUtcNow();

        using var mine = await host.Client.SendAsync(SignedRequest.Create("/a", "msg_1", now, Body));
        using var theirs = await host.Client.SendAsync(SignedRequest.Create("/other", "msg_1", now, """{"type":"invoice.paid","data":{}}""", OtherSecret));

        Assert.That((mine.StatusCode, theirs.StatusCode), Is.EqualTo((HttpStatusCode.OK, HttpStatusCode.OK)), await theirs.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task Receive_ReplayCarryingOnlyTheOtherSignatureOfARotation_Returns401()
    {
        // Mid-rotation the provider signs with the old and the new secret; a replay may keep just one of the two.
        await using var host = await StartAsync();
        var timestamp = _time.GetUtcNow().ToUnixTimeSeconds();
        var both = $"{SignedRequest.Sign(SignedRequest.Secret, "msg_rotation", timestamp, Body)} {SignedRequest.Sign(OtherSecret, "msg_rotation", timestamp, Body)}";

        using var first = await host.Client.SendAsync(SignedRequest.Create("/rotating", "msg_rotation", timestamp, Body, both));
        using var replay = await host.Client.SendAsync(SignedRequest.Create(
            "/rotating", "msg_rotation", timestamp, Body, SignedRequest.Sign(OtherSecret, "msg_rotation", timestamp, Body)));

        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await replay.ReadProblemAsync(401);
    }

    [Test]
    public async Task Request_CheckedByTheGroupAndByTheEndpoint_IsHandledOnceAndItsReplayRefused()
    {
        // Two checks of one request record the same key: the second is not a replay of the first.
        await using var host = await KestrelHost.StartAsync(
            collection => collection.AddSingleton<TimeProvider>(_time),
            app => app.MapGroup("/twice").RequireWebhookSignature(static o => o.Secrets.Add(SignedRequest.Secret))
                .MapPost("/x", () =>
                {
                    _handled.Enqueue("/twice/x");
                    return Results.Ok();
                }).RequireWebhookSignature(static o => o.Secrets.Add(SignedRequest.Secret)));

        var (first, replay) = await SignedRequest.SendTwiceAsync(host.Client, "/twice/x", "msg_twice", _time.GetUtcNow(), Body);
        using var disposeFirst = first;
        using var disposeReplay = replay;

        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK), await first.Content.ReadAsStringAsync());
        await replay.ReadProblemAsync(401);
        Assert.That(_handled, Is.EqualTo(new[] { "/twice/x" }));
    }

    [Test]
    public async Task Receive_GuardRegisteredAsAService_RefusesAReplayToAnotherRoute()
    {
        var guard = new DictionaryReplayGuard();
        await using var host = await StartAsync(services => services.AddSingleton<IWebhookReplayGuard>(guard));
        var timestamp = _time.GetUtcNow().ToUnixTimeSeconds();
        var signature = SignedRequest.Sign(SignedRequest.Secret, "msg_service", timestamp, Body);

        using var first = await host.Client.SendAsync(SignedRequest.Create("/a", "msg_service", timestamp, Body, signature));
        using var replay = await host.Client.SendAsync(SignedRequest.Create("/b", "msg_service", timestamp, Body, signature));

        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await replay.ReadProblemAsync(401);
        Assert.That(guard.Recorded, Has.Count.EqualTo(1));
    }

    private Task<KestrelHost> StartAsync(Action<IServiceCollection>? services = null) => KestrelHost.StartAsync(
        collection =>
        {
            collection.AddSingleton<TimeProvider>(_time);
            services?.Invoke(collection);
        },
        app =>
        {
            Receiver(app, "/a", static o => o.Secrets.Add(SignedRequest.Secret));
            Receiver(app, "/b", static o => o.Secrets.Add(SignedRequest.Secret));
            Receiver(app, "/other", static o => o.Secrets.Add(OtherSecret));
            Receiver(app, "/short", static o =>
            {
                o.Secrets.Add(SignedRequest.Secret);
                o.Tolerance = TimeSpan.FromMinutes(1);
            });
            Receiver(app, "/long", static o =>
            {
                o.Secrets.Add(SignedRequest.Secret);
                o.Tolerance = TimeSpan.FromMinutes(10);
            });
            Receiver(app, "/rotating", static o =>
            {
                o.Secrets.Add(SignedRequest.Secret);
                o.Secrets.Add(OtherSecret);
            });
            app.MapPost("/own", () =>
            {
                _handled.Enqueue("/own");
                return Results.Ok();
            }).RequireWebhookSignature(static o => o.Secrets.Add(SignedRequest.Secret));
        });

    private void Receiver(WebApplication app, string route, Action<WebhookReceiverOptions> configure) =>
        app.MapWebhookReceiver(route, configure, (_, _) =>
        {
            _handled.Enqueue(route);
            return Task.FromResult(Results.Ok());
        });
}
