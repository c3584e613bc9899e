using System.Net;
using System.Text;
using Webhooks.Core.Testing;

namespace Webhooks.Core.Tests.Testing;

public sealed class TestWebhookReceiverTests
{
    private static readonly TimeSpan _patience = TimeSpan.FromSeconds(10);

    private TestWebhookReceiver _receiver = null!;
    private HttpClient _client = null!;

    [SetUp]
    public async Task SetUp()
    {
        _receiver = await TestWebhookReceiver.StartAsync();
        _client = new HttpClient();
    }

    [TearDown]
    public async Task TearDown()
    {
        _client.Dispose();
        await _receiver.DisposeAsync();
    }

    [Test]
    public async Task StartAsync_WithAClock_DatesEachRequestByIt()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero));
        await using var receiver = await TestWebhookReceiver.StartAsync(clock);

        using (await _client.PostAsync(receiver.UrlFor(), new StringContent("{}")))
        {
        }

        clock.Advance(TimeSpan.FromMinutes(5));
        using (await _client.PostAsync(receiver.UrlFor(), new StringContent("{}")))
        {
        }

        Assert.That(receiver.Requests.Select(static r => r.ReceivedAt), Is.EqualTo(new[] { clock.Start, clock.Start.AddMinutes(5) }));
    }

    [Test]
    public void StartAsync_Default_ListensOnLoopbackWithEphemeralPort()
    {
        Assert.Multiple(() =>
        {
            Assert.That(_receiver.BaseAddress.Host, Is.EqualTo("127.0.0.1"));
            Assert.That(_receiver.BaseAddress.Port, Is.GreaterThan(0));
            Assert.That(_receiver.UrlFor(), Is.EqualTo($"http://127.0.0.1:{_receiver.BaseAddress.Port}/hook"));
            Assert.That(_receiver.UrlFor("/other?x=1"), Is.EqualTo($"http://127.0.0.1:{_receiver.BaseAddress.Port}/other?x=1"));
        });
    }

    [Test]
    public async Task Requests_Post_RecordsMethodPathHeadersAndBody()
    {
        using var content = new StringContent("""{"a":"ü"}""", Encoding.UTF8, "application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, _receiver.UrlFor("/in?tenant=acme")) { Content = content };
        request.Headers.Add("X-Custom", "one");

        using var response = await _client.SendAsync(request);

        var received = _receiver.Requests.Single();
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(received.Method, Is.EqualTo("POST"));
            Assert.That(received.Path, Is.EqualTo("/in"));
            Assert.That(received.Query, Is.EqualTo("?tenant=acme"));
            Assert.That(received.Headers["x-custom"], Is.EqualTo("one"));
            Assert.That(received.Headers["X-CUSTOM"], Is.EqualTo("one"));
            Assert.That(received.BodyText, Is.EqualTo("""{"a":"ü"}"""));
            Assert.That(received.Body.ToArray(), Is.EqualTo(Encoding.UTF8.GetBytes("""{"a":"ü"}""")));
            Assert.That(received.ReceivedAt, Is.Not.EqualTo(default(DateTimeOffset)));
        });
    }

    [Test]
    public async Task Respond_StatusBodyAndHeaders_Answered()
    {
        _receiver.Respond(_ => ReceiverAnswer.RetryAfter(429, TimeSpan.FromSeconds(7)) with { Body = "slow down" });

        using var response = await _client.PostAsync(_receiver.UrlFor(), null);

        Assert.Multiple(async () =>
        {
            Assert.That((int)response.StatusCode, Is.EqualTo(429));
            Assert.That(response.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(7)));
            Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("slow down"));
        });
    }

    /// <summary>Kestrel answered an empty 500 and logged nowhere: the test saw a failed delivery and not why.</summary>
    [TestCase("throws")]
    [TestCase("null")]
    [TestCase("bad header")]
    public async Task Respond_AnswerCannotBeMade_Answers500NamingTheFault(string fault)
    {
        _receiver.Respond(fault switch
        {
            "throws" => _ => throw new InvalidOperationException("The script broke."),
            "null" => _ => null!,
            _ => _ => ReceiverAnswer.Ok with { Headers = new Dictionary<string, string> { ["X-Bad"] = "a\r\nb" } },
        });

        using var response = await _client.PostAsync(_receiver.UrlFor(), null);

        var body = await response.Content.ReadAsStringAsync();
        Assert.Multiple(() =>
        {
            Assert.That((int)response.StatusCode, Is.EqualTo(500));
            Assert.That(body, Does.StartWith("TestWebhookReceiver could not answer POST /hook: System.InvalidOperationException: "));
            Assert.That(body, Does.Contain(fault switch { "throws" => "The script broke.", "null" => "returned null", _ => "control character in header" }));
            Assert.That(_receiver.Requests, Has.Count.EqualTo(1));
        });
    }

    [Test]
    public void Respond_CloseConnection_SenderGetsNoAnswer()
    {
        _receiver.Respond(_ => ReceiverAnswer.Ok with { CloseConnection = true });

        Assert.That(async () => (await _client.PostAsync(_receiver.UrlFor(), null)).Dispose(), Throws.InstanceOf<HttpRequestException>());
        Assert.That(_receiver.Requests, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Respond_RedirectAndRetryAfterDate_Answered()
    {
        var date = new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.FromHours(2));
        using var noRedirects = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });

        _receiver.Respond(_ => ReceiverAnswer.Redirect(_receiver.UrlFor("/moved"), 308));
        using var redirect = await noRedirects.PostAsync(_receiver.UrlFor(), null);
        _receiver.Respond(_ => ReceiverAnswer.RetryAfter(503, date));
        using var retryAfter = await noRedirects.PostAsync(_receiver.UrlFor(), null);

        Assert.Multiple(() =>
        {
            Assert.That((int)redirect.StatusCode, Is.EqualTo(308));
            Assert.That(redirect.Headers.Location, Is.EqualTo(new Uri(_receiver.UrlFor("/moved"))));
            Assert.That((int)retryAfter.StatusCode, Is.EqualTo(503));
            Assert.That(retryAfter.Headers.GetValues("Retry-After").Single(), Is.EqualTo("Mon, 05 Jan 2026 07:00:00 GMT"));
            Assert.That(_receiver.Requests.Select(static r => r.Path), Is.EqualTo(new[] { "/hook", "/hook" }));
        });
    }

    [Test]
    public async Task AnswerHandshakes_GetWithChallenge_EchoesChallenge()
    {
        _receiver.AnswerHandshakes("webhook-verification-challenge").Respond(_ => ReceiverAnswer.Status(500));
        using var request = new HttpRequestMessage(HttpMethod.Get, _receiver.UrlFor());
        request.Headers.Add("webhook-verification-challenge", "a\"b");

        using var handshake = await _client.SendAsync(request);
        using var post = await _client.PostAsync(_receiver.UrlFor(), null);

        Assert.Multiple(async () =>
        {
            Assert.That((int)handshake.StatusCode, Is.EqualTo(200));
            Assert.That(handshake.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
            Assert.That(await handshake.Content.ReadAsStringAsync(), Is.EqualTo("""{"verification":"a\u0022b"}"""));
            Assert.That((int)post.StatusCode, Is.EqualTo(500));
        });
    }

    [Test]
    public async Task WaitForRequestsAsync_EnoughArrive_ReturnsThem()
    {
        var waiting = _receiver.WaitForRequestsAsync(2, _patience);
        Assert.That(waiting.IsCompleted, Is.False);

        (await _client.PostAsync(_receiver.UrlFor("/1"), null)).Dispose();
        (await _client.PostAsync(_receiver.UrlFor("/2"), null)).Dispose();

        var requests = await waiting;
        Assert.That(requests.Select(r => r.Path), Is.EqualTo(new[] { "/1", "/2" }));
    }

    [Test]
    public void WaitForRequestsAsync_TooFewArrive_ThrowsTimeoutException()
    {
        Assert.That(
            async () => await _receiver.WaitForRequestsAsync(1, TimeSpan.FromMilliseconds(50)),
            Throws.TypeOf<TimeoutException>().With.Message.EqualTo("Expected 1 request(s) within 0.05 s, but 0 arrived."));
    }

    [Test]
    public void WaitForRequestsAsync_NegativeTimeout_ThrowsNamingIt()
    {
        Assert.That(
            async () => await _receiver.WaitForRequestsAsync(1, TimeSpan.FromSeconds(-2)),
            Throws.TypeOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("timeout").And.Message.Contains("-00:00:02"));
    }

    [Test]
    public async Task WaitForRequestsAsync_TimeoutLongerThanATimerAllows_WaitsUntilTheRequestsArrive()
    {
        // Task.WaitAsync refuses a timeout past about 49 days: TimeSpan.MaxValue failed at once.
        var waiting = _receiver.WaitForRequestsAsync(1, TimeSpan.MaxValue);

        (await _client.PostAsync(_receiver.UrlFor(), null)).Dispose();

        Assert.That(await waiting.WaitAsync(_patience), Has.Count.EqualTo(1));
    }

    [TestCase(-1L)]
    [TestCase(long.MaxValue)]
    public async Task Respond_DelayInfiniteOrLongerThanATimerAllows_HoldsTheAnswerUntilTheSenderGivesUp(long ticks)
    {
        // Timeout.InfiniteTimeSpan (-1 ms) was answered at once with 200; TimeSpan.MaxValue at once with a 500
        // (Task.Delay refuses it): the sender under test never timed out.
        var delay = ticks < 0 ? Timeout.InfiniteTimeSpan : TimeSpan.FromTicks(ticks);
        _receiver.Respond(_ => ReceiverAnswer.Ok with { Delay = delay });
        using var impatient = new HttpClient { Timeout = TimeSpan.FromSeconds(1) };

        Assert.That(async () => (await impatient.PostAsync(_receiver.UrlFor(), null)).Dispose(), Throws.InstanceOf<TaskCanceledException>());
        Assert.That(_receiver.Requests, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Requests_BodyLargerThanKestrelsDefaultLimit_IsRecordedWhole()
    {
        var body = new byte[31 * 1024 * 1024];
        body[^1] = 42;

        using var response = await _client.PostAsync(_receiver.UrlFor(), new ByteArrayContent(body));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var received = _receiver.Requests.Single();
        Assert.That(received.Body.Length, Is.EqualTo(body.Length));
        Assert.That(received.Body.Span[^1], Is.EqualTo(42));
    }

    [Test]
    public async Task DisposeAsync_RequestStillDelayed_AbortsIt()
    {
        _receiver.Respond(_ => ReceiverAnswer.Ok with { Delay = TimeSpan.FromMinutes(5) });
        var sending = _client.PostAsync(_receiver.UrlFor(), null);
        await _receiver.WaitForRequestsAsync(1, _patience);

        await _receiver.DisposeAsync().AsTask().WaitAsync(_patience);

        Assert.That(async () => await sending.WaitAsync(_patience), Throws.InstanceOf<HttpRequestException>());
    }

    [Test]
    public async Task DisposeAsync_CalledTwiceAtOnce_BothReturnOnceTheServerHasStopped()
    {
        var url = _receiver.UrlFor();

        var first = _receiver.DisposeAsync().AsTask();
        var second = _receiver.DisposeAsync().AsTask();

        // The second call returned at once while the first was still stopping, and ran the stop a second time.
        await second.WaitAsync(_patience);
        Assert.That(first.IsCompletedSuccessfully, Is.True);
        Assert.That(async () => (await _client.PostAsync(url, null)).Dispose(), Throws.InstanceOf<HttpRequestException>());
    }
}
