using Webhooks.Core.Testing;

namespace Webhooks.Core.Tests.Transport;

/// <summary>How endpoint answers become results.</summary>
public sealed class HttpDeliveryTransportTests : TransportFixture
{
    [TestCase(200)]
    [TestCase(201)]
    [TestCase(204)]
    public async Task SendAsync_2xx_Succeeds(int status)
    {
        Receiver.Respond(_ => ReceiverAnswer.Status(status));

        var result = await Harness.CreateTransport().SendAsync(Harness.Post(), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.StatusCode, Is.EqualTo(status));
            Assert.That(result.Succeeded, Is.True);
            Assert.That(result.Error, Is.Null);
            Assert.That(result.ResponseBody, Is.Empty);
            Assert.That(result.RetryAfter, Is.Null);
        });
    }

    [TestCase(400, "bad payload")]
    [TestCase(500, "boom")]
    public async Task SendAsync_ErrorStatus_FailsWithStatusAndBody(int status, string body)
    {
        Receiver.Respond(_ => ReceiverAnswer.Status(status) with { Body = body });

        var result = await Harness.CreateTransport().SendAsync(Harness.Post(), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.StatusCode, Is.EqualTo(status));
            Assert.That(result.Succeeded, Is.False);
            Assert.That(result.ResponseBody, Is.EqualTo(body));
            Assert.That(result.Error, Is.Null);
        });
    }

    [Test]
    public async Task SendAsync_Gone_PassesStatusThrough()
    {
        Receiver.Respond(_ => ReceiverAnswer.Status(410));

        var result = await Harness.CreateTransport().SendAsync(Harness.Post(), CancellationToken.None);

        Assert.That(result.StatusCode, Is.EqualTo(410));
    }

    [Test]
    public async Task SendAsync_BodyLongerThanLimit_TruncatedToLimit()
    {
        Receiver.Respond(_ => ReceiverAnswer.Status(500) with { Body = new string('x', 100_000) });

        var result = await Harness.CreateTransport(o => o.ResponseBodyLimit = 16).SendAsync(Harness.Post(), CancellationToken.None);

        Assert.That(result.ResponseBody, Is.EqualTo(new string('x', 16)));
    }

    [Test]
    public async Task SendAsync_LimitCutsMultiByteCharacter_LeavesPartialCharacterOut()
    {
        Receiver.Respond(_ => ReceiverAnswer.Status(500) with { Body = "aaaa€uro" });

        var result = await Harness.CreateTransport(o => o.ResponseBodyLimit = 5).SendAsync(Harness.Post(), CancellationToken.None);

        Assert.That(result.ResponseBody, Is.EqualTo("aaaa"));
    }

    [Test]
    public async Task SendAsync_OneTransportManyUrls_EachRequestGoesToItsOwnUrl()
    {
        var transport = Harness.CreateTransport();

        // Each URL twice, the second time as a new string with the same text: URLs are parsed once per string.
        string[] paths = ["/a", "/b", "/a", "/b"];
        foreach (var path in paths)
        {
            var result = await transport.SendAsync(Harness.Post(path: new string(path.AsSpan())), CancellationToken.None);
            Assert.That(result.Succeeded, Is.True, result.Error);
        }

        var received = await Receiver.WaitForRequestsAsync(paths.Length, TransportHarness.Patience);
        Assert.That(received.Select(static r => r.Path), Is.EqualTo(paths));
    }

    [Test]
    public async Task SendAsync_BodyAfterEmptyAnswers_IsRead()
    {
        var answers = new Queue<ReceiverAnswer>([ReceiverAnswer.Status(204), ReceiverAnswer.Ok, ReceiverAnswer.Status(500) with { Body = "boom" }]);
        Receiver.Respond(_ => answers.Dequeue());
        var transport = Harness.CreateTransport();

        var results = new List<DeliveryResult>();
        for (var i = 0; i < 3; i++)
        {
            results.Add(await transport.SendAsync(Harness.Post(), CancellationToken.None));
        }

        Assert.That(results.Select(static r => (r.StatusCode, r.ResponseBody)), Is.EqualTo(new (int?, string)[] { (204, ""), (200, ""), (500, "boom") }));
    }

    [Test]
    public async Task SendAsync_LimitZero_KeepsNoBody()
    {
        Receiver.Respond(_ => ReceiverAnswer.Status(500) with { Body = "boom" });

        var result = await Harness.CreateTransport(o => o.ResponseBodyLimit = 0).SendAsync(Harness.Post(), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.StatusCode, Is.EqualTo(500));
            Assert.That(result.ResponseBody, Is.Empty);
        });
    }

    [TestCase(301)]
    [TestCase(302)]
    [TestCase(307)]
    [TestCase(308)]
    public async Task SendAsync_Redirect_NotFollowed(int status)
    {
        Receiver.Respond(request => request.Path == "/hook" ? ReceiverAnswer.Redirect(Receiver.UrlFor("/moved"), status) : ReceiverAnswer.Ok);

        var result = await Harness.CreateTransport().SendAsync(Harness.Post(), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.StatusCode, Is.EqualTo(status));
            Assert.That(result.Succeeded, Is.False);
            Assert.That(Receiver.Requests.Select(r => r.Path), Is.EqualTo(new[] { "/hook" }));
            Assert.That(
                result.Error,
                Is.EqualTo($"The endpoint answered {status}, a redirect to {Receiver.UrlFor("/moved")}, which is not followed: change the webhook's URL to where it points."));
        });
    }

    // A 3xx answer without a Location (304 Not Modified, 300) was told to change the URL "to where it points".
    [TestCase(300)]
    [TestCase(304)]
    public async Task SendAsync_ThreeHundredWithoutALocation_SaysSoRatherThanWhereItPoints(int status)
    {
        Receiver.Respond(_ => ReceiverAnswer.Status(status));

        var result = await Harness.CreateTransport().SendAsync(Harness.Post(), CancellationToken.None);

        Assert.That(result.Succeeded, Is.False);
        Assert.That(result.Error, Is.EqualTo($"The endpoint answered {status}, a 3xx answer with no Location: only a 2xx answer delivers, and redirects are not followed."));
    }

    [TestCase(429)]
    [TestCase(503)]
    public async Task SendAsync_RetryAfterSeconds_Parsed(int status)
    {
        Receiver.Respond(_ => ReceiverAnswer.RetryAfter(status, TimeSpan.FromSeconds(7)));

        var result = await Harness.CreateTransport().SendAsync(Harness.Post(), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.StatusCode, Is.EqualTo(status));
            Assert.That(result.RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(7)));
        });
    }

    [TestCase(429)]
    [TestCase(503)]
    public async Task SendAsync_RetryAfterHttpDate_RelativeToTimeProvider(int status)
    {
        Receiver.Respond(_ => ReceiverAnswer.RetryAfter(status, Harness.Time.GetUtcNow().AddSeconds(90)));

        var result = await Harness.CreateTransport().SendAsync(Harness.Post(), CancellationToken.None);

        Assert.That(result.RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(90)));
    }

    [Test]
    public async Task SendAsync_RetryAfterDateInThePast_Zero()
    {
        Receiver.Respond(_ => ReceiverAnswer.RetryAfter(503, Harness.Time.GetUtcNow().AddMinutes(-5)));

        var result = await Harness.CreateTransport().SendAsync(Harness.Post(), CancellationToken.None);

        Assert.That(result.RetryAfter, Is.EqualTo(TimeSpan.Zero));
    }

    // RFC 9110 delay-seconds is 1*DIGIT with no upper bound; a value past what the parser's int holds still asks for a long
    // wait (RFC 9111 1.2.2: treat it as 2^31 seconds), to be capped by Retry.MaxRetryAfter, not dropped for the normal backoff.
    [TestCase("2147483648")]
    [TestCase("99999999999")]
    public async Task SendAsync_RetryAfterSecondsBeyondInt32_VeryLongDelay(string header)
    {
        Receiver.Respond(_ => ReceiverAnswer.Status(503) with { Headers = new Dictionary<string, string> { ["Retry-After"] = header } });

        var result = await Harness.CreateTransport().SendAsync(Harness.Post(), CancellationToken.None);

        Assert.That(result.RetryAfter, Is.Not.Null.And.GreaterThanOrEqualTo(TimeSpan.FromSeconds(int.MaxValue)));
    }

    // The parser takes at most 10 digits, leading zeros included; 1*DIGIT has no such bound, and zeros do not make a wait longer.
    [TestCase("00000000005", 5)]
    [TestCase("000000000000", 0)]
    [TestCase("00000000002147483648", 2147483648)]
    public async Task SendAsync_RetryAfterSecondsWithLeadingZeros_ReadAsTheirValue(string header, long seconds)
    {
        Receiver.Respond(_ => ReceiverAnswer.Status(503) with { Headers = new Dictionary<string, string> { ["Retry-After"] = header } });

        var result = await Harness.CreateTransport().SendAsync(Harness.Post(), CancellationToken.None);

        Assert.That(result.RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(seconds)));
    }

    [TestCase(500, "7", TestName = "SendAsync_RetryAfterOnOtherStatus_Ignored")]
    [TestCase(503, "soon", TestName = "SendAsync_RetryAfterMalformed_Ignored")]
    public async Task SendAsync_RetryAfterNotApplicable_Null(int status, string header)
    {
        Receiver.Respond(_ => ReceiverAnswer.Status(status) with { Headers = new Dictionary<string, string> { ["Retry-After"] = header } });

        var result = await Harness.CreateTransport().SendAsync(Harness.Post(), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.StatusCode, Is.EqualTo(status));
            Assert.That(result.RetryAfter, Is.Null);
        });
    }
}
