using System.Net;

namespace Webhooks.Core.AspNetCore.Tests.Samples;

/// <summary>Every error path of the management API, against the sample host and the real engine.</summary>
public sealed class SampleApiErrorTests : SampleFixture
{
    [Test]
    public async Task Create_BadJson_Returns400NamingThePosition()
    {
        var problem = await ProblemAsync(HttpMethod.Post, "/webhooks", Http.Json("""{"url": "https://x.example", "eventTypes": [}"""), 400);

        Assert.That((string?)problem["detail"], Does.Contain("line 1, position"));
    }

    [TestCase("""{"id": "evt\u0001", "type": "order.created"}""", "control character")]
    [TestCase("""{"type": "order.created\nx"}""", "control character")]
    public async Task PublishEvent_InvalidEvent_Returns400Problem(string body, string expected)
    {
        var problem = await ProblemAsync(HttpMethod.Post, "/events", Http.Json(body), 400);

        Assert.That((string?)problem["errors"]!["event"]![0], Does.Contain(expected));
    }

    [TestCase("""{"type": "order.created", "data": }""", "data", "line 1, position 35")]
    [TestCase("""{"type": 5}""", "type", "could not be converted")]
    public async Task PublishEvent_BodyNotAnEvent_Returns400NamingTheFieldAndPosition(string body, string field, string expected)
    {
        var problem = await ProblemAsync(HttpMethod.Post, "/events", Http.Json(body), 400);

        Assert.That((string?)problem["errors"]?[field]?[0] ?? "(none)", Does.Contain(expected), problem.ToJsonString());
    }

    [Test]
    public async Task Create_FormBody_Returns415Problem()
    {
        await ProblemAsync(HttpMethod.Post, "/webhooks", new FormUrlEncodedContent([new("url", "https://x.example")]), 415);
    }

    [TestCase("not a url")]
    [TestCase("ftp://receiver.example/hooks")]
    [TestCase("https://user:password@receiver.example/hooks")]
    public async Task Create_BadUrl_Returns400NamingUrl(string url)
    {
        var problem = await ProblemAsync(HttpMethod.Post, "/webhooks", Http.Json($$"""{"url": "{{url}}", "eventTypes": ["order.*"]}"""), 400);

        Assert.That(problem["errors"]!["url"], Is.Not.Null, problem.ToJsonString());
    }

    [TestCase("webhook-signature")]
    [TestCase("Content-Type")]
    [TestCase("Host")]
    public async Task Create_ReservedHeader_Returns400NamingTheHeader(string header)
    {
        var problem = await ProblemAsync(
            HttpMethod.Post, "/webhooks", Http.Json($$$"""{"url": "{{{Samples.ReceiverUrl}}}", "eventTypes": ["order.*"], "headers": {"{{{header}}}": "x"}}"""), 400);

        var fields = problem["errors"]!.AsObject().Select(e => e.Key);
        Assert.That(fields, Has.Some.StartsWith("headers").And.Some.Contains(header).IgnoreCase, problem.ToJsonString());
    }

    [Test]
    public async Task Create_MalformedFilter_Returns400WithThePosition()
    {
        var problem = await ProblemAsync(
            HttpMethod.Post, "/webhooks", Http.Json($$"""{"url": "{{Samples.ReceiverUrl}}", "eventFilter": "type eq 'a' and (operation eq"}"""), 400);

        var message = (string?)problem["errors"]!["eventFilter"]![0];
        // The filter's 29 characters end where a value is still expected: at the 30th.
        Assert.That(message, Does.Contain("expected a value at character 30"), problem.ToJsonString());
    }

    [Test]
    public async Task Create_UnknownState_Returns400NamingAllowedValues()
    {
        var problem = await ProblemAsync(HttpMethod.Post, "/webhooks", Http.Json($$"""{"url": "{{Samples.ReceiverUrl}}", "state": "ON"}"""), 400);

        Assert.That((string?)problem["errors"]!["state"]![0], Does.Contain("ENABLED, DISABLED"));
    }

    [TestCase("GET", "/webhooks/wh_unknown")]
    [TestCase("DELETE", "/webhooks/wh_unknown")]
    [TestCase("POST", "/webhooks/wh_unknown/test")]
    [TestCase("GET", "/webhooks/wh_unknown/messages")]
    public async Task AnyRoute_UnknownId_Returns404(string method, string uri)
    {
        await ProblemAsync(new HttpMethod(method), uri, null, 404);
    }

    [Test]
    public async Task AnyRoute_WrongTenant_Returns404AndListsNothing()
    {
        var created = await Samples.CreateWebhookAsync("acme");
        var id = (string)created["id"]!;

        await ProblemAsync(HttpMethod.Get, $"/webhooks/{id}", null, 404, tenant: "globex");
        await ProblemAsync(HttpMethod.Patch, $"/webhooks/{id}", Http.MergePatch("""{"state": "DISABLED"}"""), 404, tenant: "globex");
        await ProblemAsync(HttpMethod.Delete, $"/webhooks/{id}", null, 404, tenant: "globex");
        var globex = await Samples.SendAsync(HttpMethod.Get, "/webhooks", "globex");
        Assert.That(globex["items"]!.AsArray().Select(w => (string?)w!["id"]), Does.Not.Contain(id));
        await Samples.SendAsync(HttpMethod.Get, $"/webhooks/{id}", "acme");
    }

    [Test]
    public async Task Patch_StaleIfMatch_Returns412_AndStaleGenerationField409()
    {
        var id = (string)(await Samples.CreateWebhookAsync("acme"))["id"]!;
        using var read = await Samples.Api.Client.SendAsync(Http.Request(HttpMethod.Get, $"/webhooks/{id}", "acme"));
        var etag = read.Headers.ETag!.Tag;

        using var first = await Samples.Api.Client.SendAsync(Http.Request(HttpMethod.Patch, $"/webhooks/{id}", "acme", Http.MergePatch("""{"name": "first"}""")).IfMatch(etag));
        using var second = await Samples.Api.Client.SendAsync(Http.Request(HttpMethod.Patch, $"/webhooks/{id}", "acme", Http.MergePatch("""{"name": "second"}""")).IfMatch(etag));

        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK), await first.Content.ReadAsStringAsync());
        Assert.That(first.Headers.ETag!.Tag, Is.Not.EqualTo(etag));
        await second.ReadProblemAsync(412);
        var generation = long.Parse(etag.Trim('"'), System.Globalization.CultureInfo.InvariantCulture);
        using var third = await Samples.Api.Client.SendAsync(Http.Request(HttpMethod.Patch, $"/webhooks/{id}", "acme", Http.MergePatch($$"""{"name": "third", "generation": {{generation}}}""")));
        await third.ReadProblemAsync(409);
        Assert.That((string?)(await Samples.SendAsync(HttpMethod.Get, $"/webhooks/{id}", "acme"))["name"], Is.EqualTo("first"));
    }

    [Test]
    public async Task Patch_EnablingASixthTimeIn15Minutes_Returns429WithRetryAfter()
    {
        var id = (string)(await Samples.CreateWebhookAsync("acme"))["id"]!;
        var statuses = new List<int>();
        for (var i = 0; i < 6; i++)
        {
            await Samples.SendAsync(HttpMethod.Patch, $"/webhooks/{id}", "acme", Http.MergePatch("""{"state": "DISABLED"}"""));
            using var enable = await Samples.Api.Client.SendAsync(Http.Request(HttpMethod.Patch, $"/webhooks/{id}", "acme", Http.MergePatch("""{"state": "ENABLED"}""")));
            statuses.Add((int)enable.StatusCode);
            if (i == 5)
            {
                var problem = await enable.ReadProblemAsync(429);
                Assert.That((string?)problem["detail"], Does.Contain("5 times within 15 minutes"));
                Assert.That(enable.Headers.RetryAfter, Is.Not.Null, "a 429 says when to try again");
            }
        }

        Assert.That(statuses, Is.EqualTo(new[] { 200, 200, 200, 200, 200, 429 }), "five enables within 15 minutes are allowed, the sixth is not");
    }

    [Test]
    public async Task Messages_BadStatusFilter_Returns400NamingStatus()
    {
        var id = (string)(await Samples.CreateWebhookAsync("acme"))["id"]!;

        var problem = await ProblemAsync(HttpMethod.Get, $"/webhooks/{id}/messages?status=DONE&limit=1000", null, 400);

        Assert.That(problem["errors"]!.AsObject().Select(e => e.Key), Is.EquivalentTo(new[] { "status", "limit" }));
    }

    [Test]
    public async Task Cancel_DeliveredMessage_Returns409NamingSuccessAndTheStatusesItIsAllowedFrom()
    {
        // A tenant of its own, so that the event goes to this webhook only.
        var created = await Samples.CreateWebhookAsync("stark");
        var id = (string)created["id"]!;
        Samples.SetReceiverSecret((string)created["secret"]!);
        var published = await Samples.SendAsync(HttpMethod.Post, "/events", "stark", Http.Json("""{"type": "order.created", "data": {"orderId": 9}}"""), 202);
        var messageId = (string)published["messageIds"]![0]!;
        await Eventually.GetAsync(
            () => Samples.SendAsync(HttpMethod.Get, $"/webhooks/{id}/messages/{messageId}", "stark"),
            m => (string?)m["status"] == "SUCCESS",
            "the delivery");

        var problem = await ProblemAsync(HttpMethod.Post, $"/webhooks/{id}/messages/{messageId}/cancel", null, 409, tenant: "stark");

        Assert.That((string?)problem["detail"], Is.EqualTo($"Message '{messageId}' is SUCCESS: cancel is allowed only from CREATED or RETRYING."));
        Assert.That((string?)problem["messageStatus"], Is.EqualTo("SUCCESS"));
        Assert.That(problem["allowedStatuses"]!.AsArray().Select(s => (string?)s), Is.EqualTo(new[] { "CREATED", "RETRYING" }));
    }

    private async Task<System.Text.Json.Nodes.JsonNode> ProblemAsync(HttpMethod method, string uri, HttpContent? content, int status, string tenant = "acme")
    {
        using var response = await Samples.Api.Client.SendAsync(Http.Request(method, uri, tenant, content));
        return await response.ReadProblemAsync(status);
    }
}
