using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Webhooks.Core.AspNetCore.Tests.Receiving;

/// <summary>A host's own minimal API endpoints, checked as webhook deliveries before their handlers run.</summary>
public sealed class RequireWebhookSignatureTests
{
    private const string Body = """{"type":"order.created","timestamp":"2025-01-31T07:59:58Z","data":{"orderId":42,"total":99.5}}""";

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 1, 31, 8, 0, 0, TimeSpan.Zero));
    private readonly List<string> _handled = [];
    private KestrelHost _host = null!;

    [OneTimeSetUp]
    public async Task StartHost() => _host = await KestrelHost.StartAsync(
        services => services.AddSingleton<TimeProvider>(_time),
        app =>
        {
            app.MapPost("/orders", async (HttpContext context) =>
            {
                var received = context.GetReceivedWebhookEvent()!;
                var again = await new StreamReader(context.Request.Body).ReadToEndAsync();
                lock (_handled)
                {
                    _handled.Add(received.Id);
                }

                return Results.Ok(new { received.Id, received.Type, sameBody = again == Body });
            }).RequireWebhookSignature(o => o.Secrets.Add(SignedRequest.Secret));

            var group = app.MapGroup("/group").RequireWebhookSignature(o => o.Secrets.Add(SignedRequest.Secret));
            group.MapPost("/a", (HttpContext context) => Results.Ok(context.GetReceivedWebhookEvent()!.Id));
            app.MapPost("/bound", (Order order) => Results.Ok(order)).RequireWebhookSignature(o => o.Secrets.Add(SignedRequest.Secret));
            app.MapPost("/plain", (RequestDelegate)(context => context.Response.WriteAsync(context.GetReceivedWebhookEvent()!.Id)))
                .RequireWebhookSignature(o => o.Secrets.Add(SignedRequest.Secret));
            app.MapPost("/any", (HttpContext context) => Results.Ok(new { context.GetReceivedWebhookEvent()!.Id, context.GetReceivedWebhookEvent()!.Type }))
                .RequireWebhookSignature(o =>
                {
                    o.Secrets.Add(SignedRequest.Secret);
                    o.RequireEvent = false;
                });
        });

    [OneTimeTearDown]
    public async Task StopHost() => await _host.DisposeAsync();

    [Test]
    public async Task Request_SignedDelivery_HandlerGetsTheEventAndTheBodyAgain()
    {
        using var response = await _host.Client.SendAsync(SignedRequest.Create("/orders", "msg_own", _time.GetUtcNow(), Body));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var answer = await response.Content.ReadFromJsonAsync<Answer>();
        Assert.That(answer, Is.EqualTo(new Answer("msg_own", "order.created", true)));
    }

    [TestCase("/any", HttpStatusCode.OK)]
    [TestCase("/orders", HttpStatusCode.BadRequest)]
    public async Task Request_SignedBodyThatIsNotAnEvent_TakenOnlyWhereEventsAreNotRequired(string path, HttpStatusCode expected)
    {
        using var response = await _host.Client.SendAsync(SignedRequest.Create(path, "msg_not_event" + path.Replace('/', '_'), _time.GetUtcNow(), """{"test": 2432232314}"""));

        Assert.That(response.StatusCode, Is.EqualTo(expected), await response.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task Request_TamperedBody_Returns401AndTheHandlerDoesNotRun()
    {
        var signed = SignedRequest.Create("/orders", "msg_tampered", _time.GetUtcNow(), Body);
        signed.Content = new StringContent(Body.Replace("99.5", "0.5", StringComparison.Ordinal), System.Text.Encoding.UTF8, "application/json");

        using var response = await _host.Client.SendAsync(signed);

        await response.ReadProblemAsync(401);
        Assert.That(HandledIds(), Does.Not.Contain("msg_tampered"));
    }

    [Test]
    public async Task Request_Replayed_Returns401ForTheReplay()
    {
        var (first, replay) = await SignedRequest.SendTwiceAsync(_host.Client, "/orders", "msg_twice", _time.GetUtcNow(), Body);
        using var disposeFirst = first;
        using var disposeReplay = replay;

        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var problem = await replay.ReadProblemAsync(401);
        Assert.That((string?)problem["detail"], Does.Contain("replay"));
        Assert.That(HandledIds().Count(id => id == "msg_twice"), Is.EqualTo(1));
    }

    [TestCase("/group/a", "msg_group", TestName = "Request_ToAnEndpointOfAGroupThatRequiresIt_IsChecked")]
    [TestCase("/plain", "msg_plain", TestName = "Request_ToARequestDelegateEndpoint_IsChecked")]
    public async Task Request_ToAnEndpointThatRequiresIt_IsChecked(string path, string id)
    {
        using var unsigned = await _host.Client.PostAsync(path, new StringContent(Body, System.Text.Encoding.UTF8, "application/json"));
        using var signed = await _host.Client.SendAsync(SignedRequest.Create(path, id, _time.GetUtcNow(), Body));

        await unsigned.ReadProblemAsync(401);
        Assert.That((await signed.Content.ReadAsStringAsync()).Trim('"'), Is.EqualTo(id));
    }

    [Test]
    public async Task Request_HandlerBindsTheBody_Returns500SayingSo()
    {
        using var response = await _host.Client.SendAsync(SignedRequest.Create("/bound", "msg_bound", _time.GetUtcNow(), Body));

        var problem = await response.ReadProblemAsync(500);
        Assert.That((string?)problem["detail"], Does.Contain("binds the request body").And.Contain("GetReceivedWebhookEvent"));
    }

    [Test]
    public async Task Request_HandlerBindsTheBodySentChunked_Returns500SayingSo()
    {
        var request = SignedRequest.Create("/bound", "msg_bound_chunked", _time.GetUtcNow(), Body);
        request.Headers.TransferEncodingChunked = true;

        using var response = await _host.Client.SendAsync(request);

        // Without a Content-Length the consumed body is taken for an empty one, and the answer blames the signature (401).
        var problem = await response.ReadProblemAsync(500);
        Assert.That((string?)problem["detail"], Does.Contain("binds the request body"));
    }

    private string[] HandledIds()
    {
        lock (_handled)
        {
            return [.. _handled];
        }
    }

    private sealed record Answer(string Id, string Type, bool SameBody);

    private sealed record Order(int OrderId);
}

/// <summary>Controller actions run endpoint filters too: a controller checked as a webhook receiver.</summary>
public sealed class RequireWebhookSignatureOnControllersTests
{
    private const string Body = """{"type":"order.created","data":{"orderId":42}}""";

    [Test]
    public async Task ControllerAction_SignedOrNot_IsChecked()
    {
        var now = DateTimeOffset.UtcNow;
        await using var host = await StartAsync();

        using var unsigned = await host.Client.PostAsync("/controller-hooks", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));
        using var signed = await host.Client.SendAsync(SignedRequest.Create("/controller-hooks", "msg_controller", now, """{"type":"order.created","data":{}}"""));

        await unsigned.ReadProblemAsync(401);
        Assert.That(await signed.Content.ReadAsStringAsync(), Is.EqualTo("msg_controller"));
    }

    [TestCase(false, TestName = "ControllerAction_BindsTheBody_Returns500SayingSo")]
    [TestCase(true, TestName = "ControllerAction_BindsTheBodySentChunked_Returns500SayingSo")]
    public async Task ControllerAction_BindsTheBody_Returns500SayingSo(bool chunked)
    {
        await using var host = await StartAsync();
        var request = SignedRequest.Create("/controller-hooks/bound", "msg_controller_bound", DateTimeOffset.UtcNow, Body);
        request.Headers.TransferEncodingChunked = chunked;

        using var response = await host.Client.SendAsync(request);

        // Without a Content-Length the consumed body is taken for an empty one, and the answer blames the signature (401).
        var problem = await response.ReadProblemAsync(500);
        Assert.That((string?)problem["detail"], Does.Contain("binds the request body"));
    }

    [Test]
    public async Task ControllerAction_DeliveryAcceptedByAReceiverRoute_IsAReplay()
    {
        await using var host = await KestrelHost.StartAsync(
            services => services.AddControllers().AddApplicationPart(typeof(HooksController).Assembly),
            app =>
            {
                app.MapControllers().RequireWebhookSignature(o => o.Secrets.Add(SignedRequest.Secret));
                app.MapWebhookReceiver("/hooks", o => o.Secrets.Add(SignedRequest.Secret), (_, _) => Task.FromResult(Results.Ok()));
            });
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var signature = SignedRequest.Sign(SignedRequest.Secret, "msg_to_controller", timestamp, Body);

        using var first = await host.Client.SendAsync(SignedRequest.Create("/hooks", "msg_to_controller", timestamp, Body, signature));
        using var replay = await host.Client.SendAsync(SignedRequest.Create("/controller-hooks", "msg_to_controller", timestamp, Body, signature));

        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var problem = await replay.ReadProblemAsync(401);
        Assert.That((string?)problem["detail"], Does.Contain("replay"));
    }

    private static Task<KestrelHost> StartAsync() => KestrelHost.StartAsync(
        services => services.AddControllers().AddApplicationPart(typeof(HooksController).Assembly),
        app => app.MapControllers().RequireWebhookSignature(o => o.Secrets.Add(SignedRequest.Secret)));
}

/// <summary>Several endpoints and extreme options under <c>RequireWebhookSignature</c> and <c>MapWebhookReceiver</c>.</summary>
public sealed class RequireWebhookSignatureReplayTests
{
    [Test]
    public async Task Group_DeliveryAcceptedByOneEndpoint_IsAReplayToItsSibling()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2025, 1, 31, 8, 0, 0, TimeSpan.Zero));
        var handled = new System.Collections.Concurrent.ConcurrentQueue<string>();
        await using var host = await KestrelHost.StartAsync(
            services => services.AddSingleton<TimeProvider>(time),
            app =>
            {
                var hooks = app.MapGroup("/hooks").RequireWebhookSignature(static o => o.Secrets.Add(SignedRequest.Secret));
                hooks.MapPost("/orders", () => { handled.Enqueue("orders"); return Results.NoContent(); });
                hooks.MapPost("/refunds", () => { handled.Enqueue("refunds"); return Results.NoContent(); });
            });
        const string Body = """{"type":"order.created","data":{"orderId":42}}""";
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds();
        var signature = SignedRequest.Sign(SignedRequest.Secret, "msg_1", timestamp, Body);

        using var first = await host.Client.SendAsync(SignedRequest.Create("/hooks/orders", "msg_1", timestamp, Body, signature));
        using var replay = await host.Client.SendAsync(SignedRequest.Create("/hooks/refunds", "msg_1", timestamp, Body, signature));

        Assert.Multiple(() =>
        {
            Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
            Assert.That(replay.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "the signature does not cover the URL");
            Assert.That(handled, Is.EqualTo(new[] { "orders" }));
        });
    }

    [Test]
    public async Task ToleranceAsLongAsTimeSpanAllows_AcceptsAValidDeliveryAndStillRefusesItsReplay()
    {
        await using var receiver = await ReceiverHost.StartAsync(static o =>
        {
            o.Secrets.Add(SignedRequest.Secret);
            o.Tolerance = TimeSpan.MaxValue;
        });

        var (first, replay) = await SignedRequest.SendTwiceAsync(receiver.Client, "/hooks", "msg_1", receiver.Time.GetUtcNow(), """{"type":"order.created","data":{}}""");

        using (first)
        using (replay)
        {
            Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK), await first.Content.ReadAsStringAsync());
            Assert.That(replay.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        }
    }
}

/// <summary>A controller receiving deliveries checked by <c>RequireWebhookSignature</c>.</summary>
[Microsoft.AspNetCore.Mvc.ApiController]
[Microsoft.AspNetCore.Mvc.Route("controller-hooks")]
public sealed class HooksController : Microsoft.AspNetCore.Mvc.ControllerBase
{
    /// <summary>Receives a delivery.</summary>
    /// <returns>The delivery's id.</returns>
    [Microsoft.AspNetCore.Mvc.HttpPost]
    public string Receive() => HttpContext.GetReceivedWebhookEvent()!.Id;

    /// <summary>Binds the delivery as a parameter, which the check cannot allow.</summary>
    /// <param name="delivery">The bound body.</param>
    /// <returns>The delivery's type.</returns>
    [Microsoft.AspNetCore.Mvc.HttpPost("bound")]
    public string Bound([Microsoft.AspNetCore.Mvc.FromBody] BoundDelivery delivery) => delivery.Type;
}

/// <summary>A delivery's body, bound by <see cref="HooksController.Bound"/>.</summary>
/// <param name="Type">The event type.</param>
public sealed record BoundDelivery(string Type);
