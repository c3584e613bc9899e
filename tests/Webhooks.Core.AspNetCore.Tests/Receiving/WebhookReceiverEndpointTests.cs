using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using System.Net;

namespace Webhooks.Core.AspNetCore.Tests.Receiving;

public sealed class WebhookReceiverEndpointTests
{
    private const string Body = """{"type":"order.created","timestamp":"2025-01-31T07:59:58Z","data":{"orderId":42,"total":99.5}}""";
    private const string OldSecret = "whsec_b2xkLXNlY3JldC1rZXktYnl0ZXMtMTIzNDU2Nzg=";

    private ReceiverHost _receiver = null!;

    [OneTimeSetUp]
    public async Task StartReceiver() => _receiver = await ReceiverHost.StartAsync(o =>
    {
        o.Secrets.Add(SignedRequest.Secret);
        o.Secrets.Add(OldSecret);
        o.MaxBodySize = 4096;
    });

    [OneTimeTearDown]
    public async Task StopReceiver() => await _receiver.DisposeAsync();

    private DateTimeOffset Now => _receiver.Time.GetUtcNow();

    [Test]
    public async Task Receive_ValidSignature_HandsTheHandlerATypedEvent()
    {
        using var response = await _receiver.Client.SendAsync(SignedRequest.Create("/hooks", "msg_valid", Now, Body));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var handled = _receiver.Handled.Single(e => e.Id == "msg_valid");
        Assert.That(handled.Type, Is.EqualTo("order.created"));
        Assert.That(handled.Timestamp, Is.EqualTo(new DateTimeOffset(2025, 1, 31, 7, 59, 58, TimeSpan.Zero)));
        Assert.That(handled.SignedAt, Is.EqualTo(Now));
        Assert.That(handled.GetData<Order>(), Is.EqualTo(new Order(42, 99.5m)));
        Assert.That(handled.Body.ToArray(), Is.EqualTo(System.Text.Encoding.UTF8.GetBytes(Body)));
    }

    [Test]
    public async Task Receive_SignaturesInSeveralHeaderFields_VerifiesAgainstEach()
    {
        // A proxy may pass a header on as several fields (HttpClient would join them into one): sent on a raw socket.
        var timestamp = Now.ToUnixTimeSeconds();
        var unknown = SignedRequest.Sign("whsec_" + Convert.ToBase64String(new byte[32]), "msg_fields", timestamp, Body);
        var valid = SignedRequest.Sign(SignedRequest.Secret, "msg_fields", timestamp, Body);
        var url = _receiver.Client.BaseAddress!;
        using var socket = new System.Net.Sockets.TcpClient();
        await socket.ConnectAsync(url.Host, url.Port);
        var stream = socket.GetStream();
        var body = System.Text.Encoding.UTF8.GetBytes(Body);
        var head = $"POST /hooks HTTP/1.1\r\nHost: {url.Authority}\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\n"
            + $"webhook-id: msg_fields\r\nwebhook-timestamp: {timestamp}\r\nwebhook-signature: {unknown}\r\nwebhook-signature: {valid}\r\nConnection: close\r\n\r\n";
        await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(head));
        await stream.WriteAsync(body);

        using var reader = new StreamReader(stream);
        var statusLine = await reader.ReadLineAsync();

        Assert.That(statusLine, Does.StartWith("HTTP/1.1 200"));
    }

    [Test]
    public async Task Receive_SignatureFieldsCombinedIntoOneWithACommaAsHttpAllows_VerifiesAgainstEach()
    {
        // What a proxy (RFC 9110 section 5.3) or HttpClient given two values writes: one field, the values joined by ", ".
        var timestamp = Now.ToUnixTimeSeconds();
        var valid = SignedRequest.Sign(SignedRequest.Secret, "msg_combined", timestamp, Body);
        var unknown = SignedRequest.Sign("whsec_" + Convert.ToBase64String(new byte[32]), "msg_combined", timestamp, Body);

        using var response = await _receiver.Client.SendAsync(SignedRequest.Create("/hooks", "msg_combined", timestamp, Body, $"{valid}, {unknown}"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task Receive_TamperedBody_Returns401AndSkipsTheHandler()
    {
        var timestamp = Now.ToUnixTimeSeconds();
        var signature = SignedRequest.Sign(SignedRequest.Secret, "msg_tampered", timestamp, Body);

        using var response = await _receiver.Client.SendAsync(
            SignedRequest.Create("/hooks", "msg_tampered", timestamp, Body.Replace("99.5", "0.5", StringComparison.Ordinal), signature));

        await response.ReadProblemAsync(401);
        Assert.That(_receiver.Handled.Select(e => e.Id), Does.Not.Contain("msg_tampered"));
    }

    [TestCase(-301, "older")]
    [TestCase(301, "ahead")]
    public async Task Receive_TimestampOutsideTolerance_Returns401(int offsetSeconds, string reason)
    {
        using var response = await _receiver.Client.SendAsync(SignedRequest.Create("/hooks", "msg_stale", Now.AddSeconds(offsetSeconds), Body));

        var problem = await response.ReadProblemAsync(401);
        Assert.That((string?)problem["detail"], Does.Contain(reason));
        Assert.That(_receiver.Handled.Select(e => e.Id), Does.Not.Contain("msg_stale"));
    }

    [TestCase("v1,")]
    [TestCase("v1, v2,abc")]
    [TestCase("v1,not-base64!")]
    [TestCase("")]
    public async Task Receive_EmptyOrMalformedSignature_Returns401(string signature)
    {
        using var response = await _receiver.Client.SendAsync(SignedRequest.Create("/hooks", "msg_empty", Now.ToUnixTimeSeconds(), Body, signature));

        await response.ReadProblemAsync(401);
    }

    [Test]
    public async Task Receive_SameRequestTwice_Returns401ForTheReplay()
    {
        var (first, replay) = await SignedRequest.SendTwiceAsync(_receiver.Client, "/hooks", "msg_replay", Now, Body);
        using var disposeFirst = first;
        using var disposeReplay = replay;

        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var problem = await replay.ReadProblemAsync(401);
        Assert.That((string?)problem["detail"], Does.Contain("replay"));
        Assert.That(_receiver.Handled.Count(e => e.Id == "msg_replay"), Is.EqualTo(1));
    }

    [Test]
    public async Task Receive_ReplayInTheLastSecondTheTimestampIsAccepted_Returns401()
    {
        // Mid-second, a timestamp exactly the tolerance old is still accepted: the check reads the clock in whole seconds.
        await using var receiver = await ReceiverHost.StartAsync(o => o.Secrets.Add(SignedRequest.Secret), now: new DateTimeOffset(2025, 1, 31, 8, 0, 0, 500, TimeSpan.Zero));
        var (first, replay) = await SignedRequest.SendTwiceAsync(receiver.Client, "/hooks", "msg_late_replay", receiver.Time.GetUtcNow().AddSeconds(-300), Body);
        using var disposeFirst = first;
        using var disposeReplay = replay;

        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var problem = await replay.ReadProblemAsync(401);
        Assert.That((string?)problem["detail"], Does.Contain("replay"));
    }

    [Test]
    public async Task Receive_ProviderRetrySignedLater_IsHandledAgain()
    {
        using var first = await _receiver.Client.SendAsync(SignedRequest.Create("/hooks", "msg_retried", Now.AddSeconds(-30), Body));
        using var retry = await _receiver.Client.SendAsync(SignedRequest.Create("/hooks", "msg_retried", Now, Body));

        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(retry.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [TestCase(500)]
    [TestCase(409)]
    public async Task Receive_HandlerDidNotAccept_TheRetryWithinTheSameSecondIsHandled(int status)
    {
        // A provider's retry made within the second of a failed attempt carries the same timestamp: the same bytes.
        await using var receiver = await ReceiverHost.StartAsync(o => o.Secrets.Add(SignedRequest.Secret));
        receiver.Answer = _ => Results.StatusCode(status);
        using var failed = await receiver.Client.SendAsync(SignedRequest.Create("/hooks", "msg_same_second", receiver.Time.GetUtcNow(), Body));
        receiver.Answer = null;

        using var retry = await receiver.Client.SendAsync(SignedRequest.Create("/hooks", "msg_same_second", receiver.Time.GetUtcNow(), Body));
        using var replay = await receiver.Client.SendAsync(SignedRequest.Create("/hooks", "msg_same_second", receiver.Time.GetUtcNow(), Body));

        Assert.That(((int)failed.StatusCode, retry.StatusCode), Is.EqualTo((status, HttpStatusCode.OK)));
        await replay.ReadProblemAsync(401);
        Assert.That(receiver.Handled.Count(e => e.Id == "msg_same_second"), Is.EqualTo(2));
    }

    [Test]
    public async Task Receive_HandlerThrew_TheRetryWithinTheSameSecondIsHandled()
    {
        await using var receiver = await ReceiverHost.StartAsync(o => o.Secrets.Add(SignedRequest.Secret));
        receiver.Answer = _ => throw new InvalidOperationException("The handler failed.");
        using var failed = await receiver.Client.SendAsync(SignedRequest.Create("/hooks", "msg_threw", receiver.Time.GetUtcNow(), Body));
        receiver.Answer = null;

        using var retry = await receiver.Client.SendAsync(SignedRequest.Create("/hooks", "msg_threw", receiver.Time.GetUtcNow(), Body));

        Assert.That((failed.StatusCode, retry.StatusCode), Is.EqualTo((HttpStatusCode.InternalServerError, HttpStatusCode.OK)));
    }

    [Test]
    public async Task Receive_HandlerReadsTheRequestBody_GetsTheBodyThatWasChecked()
    {
        var time = new FakeTimeProvider(Now);
        await using var host = await KestrelHost.StartAsync(
            services => services.AddSingleton<TimeProvider>(time),
            app => app.MapWebhookReceiver("/hooks", o => o.Secrets.Add(SignedRequest.Secret), async (_, context) =>
                Results.Text(await new StreamReader(context.Request.Body).ReadToEndAsync())));

        using var response = await host.Client.SendAsync(SignedRequest.Create("/hooks", "msg_read_again", time.GetUtcNow(), Body));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo(Body));
    }

    [Test]
    public async Task Receive_SignedWithTheOldSecretAmongOthers_IsAccepted()
    {
        var timestamp = Now.ToUnixTimeSeconds();
        var header = $"v1,Zm9yZWlnbi1zaWduYXR1cmUtbm90LW91cnMtYXQtYWxsLTEyMzQ1Njc4OTA= v2,xyz {SignedRequest.Sign(OldSecret, "msg_rotated", timestamp, Body)}";

        using var response = await _receiver.Client.SendAsync(SignedRequest.Create("/hooks", "msg_rotated", timestamp, Body, header));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task Receive_MissingHeaders_Returns401NamingThem()
    {
        using var response = await _receiver.Client.PostAsync("/hooks", Http.Json(Body));

        var problem = await response.ReadProblemAsync(401);
        Assert.That((string?)problem["detail"], Does.Contain("webhook-signature"));
    }

    // The answer listed the three headers whichever was missing: a sender whose proxy dropped one could not tell which.
    [TestCase(false, true, true, "The webhook-id header is missing or empty.")]
    [TestCase(true, false, true, "The webhook-timestamp header is missing or empty.")]
    [TestCase(true, true, false, "The webhook-signature header is missing or empty.")]
    [TestCase(false, true, false, "The webhook-id and webhook-signature headers are missing or empty.")]
    public async Task Receive_SomeHeadersMissing_Returns401NamingThoseMissing(bool id, bool timestamp, bool signature, string missing)
    {
        using var request = SignedRequest.Create("/hooks", "msg_missing", Now, Body);
        foreach (var (name, sent) in new[] { ("webhook-id", id), ("webhook-timestamp", timestamp), ("webhook-signature", signature) })
        {
            if (!sent)
            {
                request.Headers.Remove(name);
            }
        }

        using var response = await _receiver.Client.SendAsync(request);

        var problem = await response.ReadProblemAsync(401);
        Assert.That((string?)problem["detail"], Is.EqualTo($"{missing} The webhook-id, webhook-timestamp and webhook-signature headers are required."));
    }

    [TestCase("""{"data": {}}""", "a string \"type\"")]
    [TestCase("""{"type": "\ud800"}""", "not valid Unicode at 'type'")]
    [TestCase("""{"type": "order.created", "data": {"note": "\udfff"}}""", "not valid Unicode at 'data.note'")]
    public async Task Receive_AuthenticButNotAnEvent_Returns400(string body, string reason)
    {
        var id = $"msg_notevent_{body.Length}"; // One id per case: the same id and timestamp again would be a replay.
        using var response = await _receiver.Client.SendAsync(SignedRequest.Create("/hooks", id, Now, body));

        var problem = await response.ReadProblemAsync(400);
        Assert.That((string?)problem["errors"]!["body"]![0], Does.Contain(reason));
        Assert.That(_receiver.Handled.Select(e => e.Id), Does.Not.Contain(id));
    }

    [Test]
    public async Task Receive_BodyOverTheLimit_Returns413()
    {
        var body = $$"""{"type":"big","data":"{{new string('x', 5000)}}"}""";

        using var response = await _receiver.Client.SendAsync(SignedRequest.Create("/hooks", "msg_big", Now, body));

        await response.ReadProblemAsync(413);
    }

    [TestCase(4096, HttpStatusCode.OK, TestName = "Receive_ChunkedBodyWithinTheLimit_IsHandled")]
    [TestCase(5000, HttpStatusCode.RequestEntityTooLarge, TestName = "Receive_ChunkedBodyOverTheLimit_Returns413")]
    public async Task Receive_ChunkedBody_IsReadToTheLimit(int length, HttpStatusCode expected)
    {
        const string Head = "{\"type\":\"chunked\",\"data\":\"";
        var body = Head + new string('x', length - Head.Length - 2) + "\"}";
        var id = $"msg_chunked_{length}";
        var request = SignedRequest.Create("/hooks", id, Now, body);
        request.Headers.TransferEncodingChunked = true;

        using var response = await _receiver.Client.SendAsync(request);

        Assert.That((body.Length, response.StatusCode), Is.EqualTo((length, expected)), await response.Content.ReadAsStringAsync());
    }

    [TestCase(-300, TestName = "Receive_TimestampExactlyTheToleranceOld_IsHandled")]
    [TestCase(300, TestName = "Receive_TimestampExactlyTheToleranceAhead_IsHandled")]
    public async Task Receive_TimestampAtTheBound_IsHandled(int offsetSeconds)
    {
        var id = $"msg_bound_{offsetSeconds}";

        using var response = await _receiver.Client.SendAsync(SignedRequest.Create("/hooks", id, Now.AddSeconds(offsetSeconds), Body));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        Assert.That(_receiver.Handled.Select(e => e.Id), Does.Contain(id));
    }

    [Test]
    public async Task Receive_SameDeliveryManyTimesAtOnce_IsHandledOnce()
    {
        var timestamp = Now.ToUnixTimeSeconds();
        var signature = SignedRequest.Sign(SignedRequest.Secret, "msg_race", timestamp, Body);

        var responses = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => _receiver.Client.SendAsync(SignedRequest.Create("/hooks", "msg_race", timestamp, Body, signature))));

        Assert.That(responses.Select(r => r.StatusCode), Is.EquivalentTo(new[] { HttpStatusCode.OK }.Concat(Enumerable.Repeat(HttpStatusCode.Unauthorized, 15))));
        Assert.That(_receiver.Handled.Count(e => e.Id == "msg_race"), Is.EqualTo(1));
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    [Test]
    public async Task Challenge_DefaultHeader_EchoesTheChallenge()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/hooks") { Headers = { { "webhook-verification-challenge", "c-123" } } };

        using var response = await _receiver.Client.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("""{"verification":"c-123"}"""));
    }

    [Test]
    public async Task Challenge_WithoutTheHeader_Returns400NamingIt()
    {
        using var response = await _receiver.Client.GetAsync("/hooks");

        var problem = await response.ReadProblemAsync(400);
        Assert.That(problem["errors"]!["webhook-verification-challenge"], Is.Not.Null);
    }

    private sealed record Order(int OrderId, decimal Total);
}
