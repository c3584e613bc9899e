using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Webhooks.Core.Testing;

namespace Webhooks.Core.Tests.Transport;

/// <summary>What reaches the endpoint.</summary>
public sealed class HttpDeliveryTransportRequestTests : TransportFixture
{
    [Test]
    public async Task SendAsync_Post_BodyArrivesUnchanged()
    {
        var body = Encoding.UTF8.GetBytes("""{"type":"order.created","data":{"name":"Grüße ✓","n":2432232314}}""");
        var request = Harness.Post() with { Body = body };

        await Harness.CreateTransport().SendAsync(request, CancellationToken.None);

        var received = Receiver.Requests.Single();
        Assert.Multiple(() =>
        {
            Assert.That(received.Method, Is.EqualTo("POST"));
            Assert.That(received.Path, Is.EqualTo("/hook"));
            Assert.That(received.Body.ToArray(), Is.EqualTo(body));
        });
    }

    [Test]
    public async Task SendAsync_Post_SendsJsonContentTypeAndUserAgent()
    {
        await Harness.CreateTransport(o => o.UserAgent = "Acme-Webhooks/2.1").SendAsync(Harness.Post(), CancellationToken.None);

        var received = Receiver.Requests.Single();
        Assert.Multiple(() =>
        {
            Assert.That(received.Headers["content-type"], Is.EqualTo("application/json"));
            Assert.That(received.Headers["user-agent"], Is.EqualTo("Acme-Webhooks/2.1"));
        });
    }

    [Test]
    public async Task SendAsync_DefaultOptions_UserAgentNamesTheLibrary()
    {
        await Harness.CreateTransport().SendAsync(Harness.Post(), CancellationToken.None);

        Assert.That(Receiver.Requests.Single().Headers["user-agent"], Does.StartWith("Webhooks.Core/"));
    }

    [Test]
    public async Task SendAsync_SignatureAndCustomHeaders_ArriveAsGiven()
    {
        var request = Harness.Post() with
        {
            Headers =
            [
                new("webhook-id", "msg_p5jXN8AQM9LWM0D4loKWxJek"),
                new("webhook-timestamp", "1614265330"),
                new("webhook-signature", "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE= v1,bm90IHJlYWxseQ=="),
                new("x-tenant", "acme"),
                new("Authorization", "Bearer t0ken"),
            ],
        };

        await Harness.CreateTransport().SendAsync(request, CancellationToken.None);

        var headers = Receiver.Requests.Single().Headers;
        Assert.Multiple(() =>
        {
            Assert.That(headers["webhook-id"], Is.EqualTo("msg_p5jXN8AQM9LWM0D4loKWxJek"));
            Assert.That(headers["webhook-timestamp"], Is.EqualTo("1614265330"));
            Assert.That(headers["webhook-signature"], Is.EqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE= v1,bm90IHJlYWxseQ=="));
            Assert.That(headers["x-tenant"], Is.EqualTo("acme"));
            Assert.That(headers["authorization"], Is.EqualTo("Bearer t0ken"));
        });
    }

    [Test]
    public async Task SendAsync_HandshakeGet_SendsNoBodyAndReturnsTheAnswer()
    {
        Receiver.AnswerHandshakes("x-compute-ops-mgmt-verification-challenge");
        var request = new DeliveryRequest
        {
            WebhookId = "wh_1",
            Url = Receiver.UrlFor("/hook"),
            Method = HttpMethod.Get,
            Headers = [new("x-compute-ops-mgmt-verification-challenge", "c4ll3nge"), new("x-tenant", "acme")],
        };

        var result = await Harness.CreateTransport().SendAsync(request, CancellationToken.None);

        var received = Receiver.Requests.Single();
        Assert.Multiple(() =>
        {
            Assert.That(result.StatusCode, Is.EqualTo(200));
            Assert.That(result.ResponseBody, Is.EqualTo("""{"verification":"c4ll3nge"}"""));
            Assert.That(received.Method, Is.EqualTo("GET"));
            Assert.That(received.Body.IsEmpty, Is.True);
            Assert.That(received.Headers.ContainsKey("content-type"), Is.False);
            Assert.That(received.Headers["x-tenant"], Is.EqualTo("acme"));
        });
    }

    [Test]
    public async Task SendAsync_ConnectionReused_EachRequestArrives()
    {
        var transport = Harness.CreateTransport();

        for (var i = 0; i < 3; i++)
        {
            var result = await transport.SendAsync(Harness.Post(), CancellationToken.None);
            Assert.That(result.StatusCode, Is.EqualTo(200));
        }

        Assert.That(Receiver.Requests, Has.Count.EqualTo(3));
    }

    [Test]
    public async Task SendAsync_HandshakeGet_CarriesCustomHeadersDotNetFilesAsContentHeaders()
    {
        var request = Harness.Post() with
        {
            Method = HttpMethod.Get,
            Body = ReadOnlyMemory<byte>.Empty,
            Headers = [new("x-challenge", "abc"), new("Content-Language", "en"), new("Expires", "0")],
        };

        await Harness.CreateTransport().SendAsync(request, CancellationToken.None);

        var received = Receiver.Requests.Single();
        Assert.Multiple(() =>
        {
            Assert.That(received.Method, Is.EqualTo("GET"));
            Assert.That(received.Headers["x-challenge"], Is.EqualTo("abc"));
            Assert.That(received.Headers["content-language"], Is.EqualTo("en"));
            Assert.That(received.Headers["expires"], Is.EqualTo("0"));
            Assert.That(received.Body.Length, Is.Zero);
            Assert.That(received.Headers.ContainsKey("content-type"), Is.False);
        });
    }

    [Test]
    public async Task SendAsync_HandlersTheHostAddsToEveryClient_AreNotInTheDeliveryClient()
    {
        Receiver.Respond(_ => ReceiverAnswer.Status(503));
        var transport = Harness.CreateTransport(configureServices: static services =>
            services.ConfigureHttpClientDefaults(static http => http.AddHttpMessageHandler(static () => new RetryingHandler())));

        var result = await transport.SendAsync(Harness.Post(), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.StatusCode, Is.EqualTo(503));
            Assert.That(Receiver.Requests, Has.Count.EqualTo(1), "one attempt is one request: the engine counts and retries it");
        });
    }

    /// <summary>Stands in for a host-wide resilience handler (such as the one a service-defaults project adds): retries 5xx twice.</summary>
    private sealed class RetryingHandler : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            for (var attempt = 0; ; attempt++)
            {
                var response = await base.SendAsync(request, cancellationToken);
                if ((int)response.StatusCode < 500 || attempt == 2)
                {
                    return response;
                }

                response.Dispose();
            }
        }
    }
}
