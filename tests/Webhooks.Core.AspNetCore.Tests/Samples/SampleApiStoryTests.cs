namespace Webhooks.Core.AspNetCore.Tests.Samples;

/// <summary>The README's curl session, as a test: create, publish, read the log, retry, disable; in memory and on PostgreSQL.</summary>
[TestFixture("memory")]
[TestFixture("postgresql")]
public sealed class SampleApiStoryTests(string store) : SampleFixture(store)
{
    [Test]
    public async Task CurlStory_CreatePublishReadLogRetryDisable_DeliversVerifiedEvents()
    {
        // 1. Create a webhook; the receiver answers the HPE-style handshake, so it becomes ACTIVE.
        var created = await Samples.CreateWebhookAsync("acme", "CHALLENGE");
        var id = (string)created["id"]!;
        var secret = (string)created["secret"]!;
        Assert.That(secret, Does.StartWith("whsec_"));
        var webhook = await Eventually.GetAsync(
            () => Samples.SendAsync(HttpMethod.Get, $"/webhooks/{id}", "acme"),
            w => (string?)w["status"] != "PENDING",
            "the handshake");
        Assert.That((string?)webhook["status"], Is.EqualTo("ACTIVE"), webhook.ToJsonString());
        Assert.That(webhook["secret"], Is.Null);

        // 2. Publish before the receiver knows the secret: it rejects the delivery with 401, so the message is RETRYING.
        var published = await Samples.SendAsync(HttpMethod.Post, "/events", "acme", Http.Json("""{"type": "order.created", "data": {"orderId": 7}}"""), 202);
        var messageId = (string)published["messageIds"]![0]!;
        var failed = await Eventually.GetAsync(
            () => Samples.SendAsync(HttpMethod.Get, $"/webhooks/{id}/messages/{messageId}", "acme"),
            m => (string?)m["status"] == "RETRYING",
            "the first failed attempt");
        Assert.That((int?)failed["attempts"]![0]!["statusCode"], Is.EqualTo(401));

        // 3. The log, filtered by status.
        var log = await Samples.SendAsync(HttpMethod.Get, $"/webhooks/{id}/messages?status=RETRYING", "acme");
        Assert.That((int?)log["total"], Is.EqualTo(1));
        Assert.That((string?)log["items"]![0]!["eventType"], Is.EqualTo("order.created"));

        // 4. Configure the receiver and retry now: the signed delivery is verified and handed to the handler.
        Samples.SetReceiverSecret(secret);
        await Samples.SendAsync(HttpMethod.Post, $"/webhooks/{id}/messages/{messageId}/retry", "acme");
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var received = await Samples.Received.WaitForAsync(e => e.Id == messageId, wait.Token);
        Assert.That(received.Type, Is.EqualTo("order.created"));
        Assert.That(received.Data.GetProperty("orderId").GetInt32(), Is.EqualTo(7));
        var delivered = await Eventually.GetAsync(
            () => Samples.SendAsync(HttpMethod.Get, $"/webhooks/{id}/messages/{messageId}", "acme"),
            m => (string?)m["status"] == "SUCCESS",
            "the retried delivery");
        Assert.That(delivered["attempts"]!.AsArray().Select(a => (int?)a!["statusCode"]), Is.EqualTo(new int?[] { 401, 204 }));

        // 5. Disable it (HPE FAQ); it is then hidden from the list unless asked for.
        var disabled = await Samples.SendAsync(HttpMethod.Patch, $"/webhooks/{id}", "acme", Http.MergePatch("""{"state": "DISABLED"}"""));
        Assert.That((string?)disabled["state"], Is.EqualTo("DISABLED"));
        Assert.That((string?)disabled["status"], Is.EqualTo("DISABLED"));
        var listed = await Samples.SendAsync(HttpMethod.Get, "/webhooks", "acme");
        Assert.That(listed["items"]!.AsArray().Select(w => (string?)w!["id"]), Does.Not.Contain(id));
        var asked = await Samples.SendAsync(HttpMethod.Get, "/webhooks?state=DISABLED", "acme");
        Assert.That(asked["items"]!.AsArray().Select(w => (string?)w!["id"]), Does.Contain(id));
    }

    [Test]
    public async Task DeliveryLog_PagedWithNext_NeitherRepeatsNorSkipsWhenEventsArriveBetweenPages()
    {
        var id = (string)(await Samples.CreateWebhookAsync("globex"))["id"]!;
        var first = await PublishAsync("globex", 3);

        var page = await Samples.SendAsync(HttpMethod.Get, $"/webhooks/{id}/messages?limit=2", "globex");
        var next = (string?)page["next"];
        var later = await PublishAsync("globex", 2);
        var rest = await Samples.SendAsync(HttpMethod.Get, $"/webhooks/{id}/messages?limit=2&after={next}", "globex");

        Assert.That(next, Is.Not.Null, page.ToJsonString());
        Assert.That(Ids(page).Concat(Ids(rest)), Is.EqualTo(first.Reverse()), "the three first events, newest first, once each");
        Assert.That(((int?)rest["total"], rest["next"]), Is.EqualTo((1, (object?)null)));
        var fresh = await Samples.SendAsync(HttpMethod.Get, $"/webhooks/{id}/messages?limit=2", "globex");
        Assert.That(Ids(fresh), Is.EqualTo(later.Reverse()));
    }

    [Test]
    public async Task WebhookList_PagedWithNext_NeitherRepeatsNorSkipsWhenWebhooksAreCreatedBetweenPages()
    {
        var first = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            first.Add((string)(await Samples.CreateWebhookAsync("wayne"))["id"]!);
        }

        var page = await Samples.SendAsync(HttpMethod.Get, "/webhooks?limit=2", "wayne");
        var next = (string?)page["next"];
        var later = (string)(await Samples.CreateWebhookAsync("wayne"))["id"]!;
        var rest = await Samples.SendAsync(HttpMethod.Get, $"/webhooks?limit=2&after={next}", "wayne");

        Assert.That(next, Is.Not.Null, page.ToJsonString());
        Assert.That(Ids(page).Concat(Ids(rest)), Is.EquivalentTo(first), "the three first webhooks, once each");
        Assert.That(((int?)rest["total"], rest["next"]), Is.EqualTo((1, (object?)null)));
        var fresh = await Samples.SendAsync(HttpMethod.Get, "/webhooks?limit=1", "wayne");
        Assert.That(Ids(fresh), Is.EqualTo(new[] { later }));
    }

    [Test]
    public async Task RotateAndDelete_AfterCreate_NewSecretThenGone()
    {
        var created = await Samples.CreateWebhookAsync("initech");
        var id = (string)created["id"]!;

        var rotated = await Samples.SendAsync(HttpMethod.Post, $"/webhooks/{id}/secret/rotate", "initech");
        await Samples.SendAsync(HttpMethod.Delete, $"/webhooks/{id}", "initech", expectedStatus: 204);

        Assert.That((string?)rotated["secret"], Does.StartWith("whsec_").And.Not.EqualTo((string?)created["secret"]));
        await Samples.SendAsync(HttpMethod.Get, $"/webhooks/{id}", "initech", expectedStatus: 404);
        await Samples.SendAsync(HttpMethod.Get, $"/webhooks/{id}/messages", "initech", expectedStatus: 404);
    }

    [Test]
    public async Task Recover_FailedMessagesSince_AnswersCount()
    {
        var created = await Samples.CreateWebhookAsync("umbrella");

        var recovered = await Samples.SendAsync(
            HttpMethod.Post, $"/webhooks/{created["id"]}/recover", "umbrella", Http.Json("""{"since": "2025-01-01T00:00:00Z"}"""));

        Assert.That((int?)recovered["recovered"], Is.EqualTo(0));
    }

    [Test]
    public async Task Test_WebhookWithoutVerification_SendsATestEventToTheReceiver()
    {
        var created = await Samples.CreateWebhookAsync("hooli");
        Samples.SetReceiverSecret((string)created["secret"]!);

        var tested = await Samples.SendAsync(HttpMethod.Post, $"/webhooks/{created["id"]}/test", "hooli");

        Assert.That((string?)tested["status"], Is.EqualTo("ACTIVE"), tested.ToJsonString());
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var received = await Samples.Received.WaitForAsync(e => e.Type == "webhook.test", wait.Token);
        Assert.That(received.Type, Is.EqualTo("webhook.test"));
    }

    private static IEnumerable<string?> Ids(System.Text.Json.Nodes.JsonNode page) => page["items"]!.AsArray().Select(m => (string?)m!["id"]);

    /// <summary>Publishes events one at a time, so that each is created after the one before, and returns their message ids.</summary>
    private async Task<string[]> PublishAsync(string tenant, int count)
    {
        var ids = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var published = await Samples.SendAsync(HttpMethod.Post, "/events", tenant, Http.Json($$$"""{"type": "order.created", "data": {"orderId": {{{i}}}}}"""), 202);
            ids.Add((string)published["messageIds"]![0]!);
        }

        return [.. ids];
    }
}
