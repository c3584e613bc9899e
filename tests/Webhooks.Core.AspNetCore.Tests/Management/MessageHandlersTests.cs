using System.Net;
using System.Text;
using System.Text.Json;
using NSubstitute;

namespace Webhooks.Core.AspNetCore.Tests.Management;

public sealed class MessageHandlersTests : ApiFixture
{

    protected override void Arrange()
    {
        Api.Holds("wh_1", "acme");
        Api.Log.GetAsync("wh_1", "msg_1", Arg.Any<CancellationToken>()).Returns(new DeliveryMessageDetail(Sample.Message("msg_1", "wh_1"), []));
    }

    [Test]
    public async Task List_StatusFilter_ReturnsPageOfUppercaseStatuses()
    {
        MessageQuery? query = null;
        Api.Log.ListAsync(Arg.Do<MessageQuery>(q => query = q), Arg.Any<CancellationToken>())
            .Returns(new WebhookPage<DeliveryMessage>([Sample.Message("msg_1", "wh_1")], 1, 0, 10));

        using var response = await SendAsync(HttpMethod.Get, "/webhooks/wh_1/messages?status=retrying&eventType=order.created&limit=10");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        Assert.That(query, Is.EqualTo(new MessageQuery { WebhookId = "wh_1", Status = MessageStatus.Retrying, EventType = "order.created", Limit = 10 }));
        var body = await response.ReadJsonAsync();
        var item = body["items"]![0]!;
        Assert.That((string?)item["status"], Is.EqualTo("RETRYING"));
        Assert.That((int?)item["lastAttempt"]!["statusCode"], Is.EqualTo(503));
        Assert.That(item["attempts"], Is.Null);
        Assert.That((int?)body["total"], Is.EqualTo(1));
    }

    [Test]
    public async Task List_PageWithMoreAfterIt_GivesTheNextThatListsAfterItsLastMessage()
    {
        var last = Sample.Message("msg_2", "wh_1") with { CreatedAt = Sample.Created.AddTicks(-1) };
        MessageQuery? query = null;
        Api.Log.ListAsync(Arg.Do<MessageQuery>(q => query = q), Arg.Any<CancellationToken>())
            .Returns(new WebhookPage<DeliveryMessage>([Sample.Message("msg_3", "wh_1"), last], 5, 0, 2));

        using var first = await SendAsync(HttpMethod.Get, "/webhooks/wh_1/messages?limit=2");
        var next = (string?)(await first.ReadJsonAsync())["next"];
        using var following = await SendAsync(HttpMethod.Get, $"/webhooks/wh_1/messages?limit=2&offset=1&after={next}");

        Assert.That(next, Does.Match("^[A-Za-z0-9_-]+$"), "opaque text a URL carries as it is");
        Assert.That(following.StatusCode, Is.EqualTo(HttpStatusCode.OK), await following.Content.ReadAsStringAsync());
        Assert.That(query, Is.EqualTo(new MessageQuery { WebhookId = "wh_1", After = MessageLogPosition.Of(last), Offset = 1, Limit = 2 }));
    }

    // A custom id may hold what engine ids do not: the cursor takes the page's last message back as it is.
    [TestCase("msg\twith\ncontrols")]
    [TestCase("msg\0")]
    [TestCase("msg_ü_😀")]
    public Task List_NextOfAPageEndingWithACustomId_ListsAfterThatId(string id) => ListsAfterACustomIdAsync(id);

    // UTF-8 cannot carry a lone surrogate, which the in-memory store takes in a custom id. (Not a test case: the
    // argument would be in the test's name, which reports write as XML.)
    [Test]
    public Task List_NextOfAPageEndingWithAnIdWithALoneSurrogate_ListsAfterThatId() => ListsAfterACustomIdAsync("msg_\uD800_x");

    private async Task ListsAfterACustomIdAsync(string id)
    {
        var last = Sample.Message(id, "wh_1");
        MessageQuery? query = null;
        Api.Log.ListAsync(Arg.Do<MessageQuery>(q => query = q), Arg.Any<CancellationToken>())
            .Returns(new WebhookPage<DeliveryMessage>([last], 2, 0, 1));

        using var first = await SendAsync(HttpMethod.Get, "/webhooks/wh_1/messages?limit=1");
        var next = (string?)(await first.ReadJsonAsync())["next"];
        using var following = await SendAsync(HttpMethod.Get, $"/webhooks/wh_1/messages?limit=1&after={next}");

        Assert.That(following.StatusCode, Is.EqualTo(HttpStatusCode.OK), await following.Content.ReadAsStringAsync());
        Assert.That(query!.After, Is.EqualTo(MessageLogPosition.Of(last)));
    }

    [TestCase(0, 2, 2, TestName = "List_LastPage_HasNullNext")]
    [TestCase(3, 5, 2, TestName = "List_PageEndingTheMatches_HasNullNext")]
    [TestCase(9, 5, 0, TestName = "List_PageBeyondTheMatches_HasNullNext")]
    public async Task List_NothingAfterThePage_HasNullNext(int offset, int total, int count)
    {
        Api.Log.ListAsync(Arg.Any<MessageQuery>(), Arg.Any<CancellationToken>())
            .Returns(new WebhookPage<DeliveryMessage>([.. Enumerable.Range(0, count).Select(i => Sample.Message($"msg_{i}", "wh_1"))], total, offset, 2));

        using var response = await SendAsync(HttpMethod.Get, $"/webhooks/wh_1/messages?limit=2&offset={offset}");

        var body = await response.ReadJsonAsync();
        Assert.That(body.AsObject().ContainsKey("next") && body["next"] is null, body.ToJsonString());
    }

    // Not base64url; base64url of "x:msg_1" (no time), of "5:" (no id), of "-5:msg" (a negative time), of "5;a" (an id
    // in UTF-16 of an odd number of bytes).
    [TestCase("not+a/cursor")]
    [TestCase("eDptc2dfMQ")]
    [TestCase("NTo")]
    [TestCase("LTU6bXNn")]
    [TestCase("NTth")]
    public async Task List_AfterThatNoPageGave_Returns400NamingAfter(string after)
    {
        using var response = await SendAsync(HttpMethod.Get, $"/webhooks/wh_1/messages?after={Uri.EscapeDataString(after)}");

        var errors = (await response.ReadProblemAsync(400))["errors"]!.AsObject();
        Assert.That(errors.Select(e => e.Key), Is.EqualTo(new[] { "after" }));
        Assert.That((string?)errors["after"]![0], Does.Contain("'next' of a page"));
        await Api.Log.DidNotReceiveWithAnyArgs().ListAsync(default!, default);
    }

    [Test]
    public async Task List_BadStatus_Returns400NamingStatusAndAllowedValues()
    {
        using var response = await SendAsync(HttpMethod.Get, "/webhooks/wh_1/messages?status=DONE");

        var problem = await response.ReadProblemAsync(400);
        Assert.That((string?)problem["errors"]!["status"]![0], Does.Contain("CREATED, RETRYING, SUCCESS, FAILED, CANCELLED"));
    }

    // No event has a type with a control character, and PostgreSQL refuses U+0000 in a query parameter (a 500).
    [TestCase("order%00created")]
    [TestCase("order.created%0A")]
    public async Task List_EventTypeWithAControlCharacter_Returns400NamingEventType(string eventType)
    {
        Api.Log.ListAsync(Arg.Any<MessageQuery>(), Arg.Any<CancellationToken>()).Returns(new WebhookPage<DeliveryMessage>([], 0, 0, 50));

        using var response = await SendAsync(HttpMethod.Get, $"/webhooks/wh_1/messages?eventType={eventType}");

        var errors = (await response.ReadProblemAsync(400))["errors"]!.AsObject();
        Assert.That(errors.Select(e => e.Key), Is.EqualTo(new[] { "eventType" }));
        await Api.Log.DidNotReceiveWithAnyArgs().ListAsync(default!, default);
    }

    // Bound as one string, the values would be joined with a comma: an event type "order.created,order.created" lists nothing.
    [TestCase("eventType=order.created&eventType=order.created", "eventType", 2)]
    [TestCase("status=FAILED&Status=RETRYING&status=CREATED", "status", 3)]
    [TestCase("limit=5&limit=6", "limit", 2)]
    public async Task List_ParameterGivenTwice_Returns400SayingSoOnce(string query, string parameter, int times)
    {
        using var response = await SendAsync(HttpMethod.Get, "/webhooks/wh_1/messages?" + query);

        var errors = (await response.ReadProblemAsync(400))["errors"]!.AsObject();
        Assert.That(errors.Select(e => e.Key), Is.EqualTo(new[] { parameter }));
        Assert.That(errors[parameter]!.AsArray().Select(m => (string?)m), Is.EqualTo(new[] { $"The parameter is given {times} times; give it once." }));
        await Api.Log.DidNotReceiveWithAnyArgs().ListAsync(default!, default);
    }

    [Test]
    public async Task Get_Message_ReturnsPayloadAndEveryAttempt()
    {
        Api.Log.GetAsync("wh_1", "msg_1", Arg.Any<CancellationToken>())
            .Returns(new DeliveryMessageDetail(Sample.Message("msg_1", "wh_1"), [Sample.Attempt(1), Sample.Attempt(2)]));

        using var response = await SendAsync(HttpMethod.Get, "/webhooks/wh_1/messages/msg_1");

        var body = await response.ReadJsonAsync();
        Assert.That((int?)body["payload"]!["data"]!["orderId"], Is.EqualTo(42));
        Assert.That(body["attempts"]!.AsArray().Select(a => (int?)a!["number"]), Is.EqualTo(new int?[] { 1, 2 }));
        Assert.That((double?)body["attempts"]![0]!["durationMs"], Is.EqualTo(12.5));
        Assert.That((string?)body["attempts"]![0]!["error"], Is.EqualTo("The receiver answered 503."));
    }

    // Publishing takes event data nested 64 levels deep (the JSON reader's default), and the body around it is one level
    // more: the answer gave such a payload as a string, or failed (500) when the message around it passed 64 levels.
    [TestCase(62)]
    [TestCase(63)]
    [TestCase(64)]
    public async Task Get_MessageWithDeeplyNestedData_ReturnsPayloadAsJson(int depth)
    {
        var data = new string('[', depth) + new string(']', depth);
        var message = Sample.Message("msg_1", "wh_1") with
        {
            Payload = Encoding.UTF8.GetBytes($$"""{"type":"order.created","timestamp":"2025-01-31T08:00:00Z","data":{{data}}}"""),
        };
        Api.Log.GetAsync("wh_1", "msg_1", Arg.Any<CancellationToken>()).Returns(new DeliveryMessageDetail(message, []));

        using var response = await SendAsync(HttpMethod.Get, "/webhooks/wh_1/messages/msg_1");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(), new JsonDocumentOptions { MaxDepth = 128 });
        Assert.That(body.RootElement.GetProperty("payload").GetProperty("data").GetRawText(), Is.EqualTo(data));
    }

    [Test]
    public async Task Get_UnknownMessage_Returns404Problem()
    {
        using var response = await SendAsync(HttpMethod.Get, "/webhooks/wh_1/messages/msg_missing");

        var problem = await response.ReadProblemAsync(404);
        Assert.That((string?)problem["detail"], Does.Contain("msg_missing"));
    }

    [Test]
    public async Task Retry_RetryingMessage_ReturnsMessage()
    {
        Api.Log.RetryAsync("wh_1", "msg_1", Arg.Any<CancellationToken>()).Returns(Sample.Message("msg_1", "wh_1", MessageStatus.Success));

        using var response = await SendAsync(HttpMethod.Post, "/webhooks/wh_1/messages/msg_1/retry");

        Assert.That((string?)(await response.ReadJsonAsync())["status"], Is.EqualTo("SUCCESS"));
    }

    [Test]
    public async Task Cancel_FinishedMessage_Returns409Problem()
    {
        Api.Log.CancelAsync("wh_1", "msg_1", Arg.Any<CancellationToken>())
            .Returns<DeliveryMessage>(_ => throw new InvalidTransitionException("A Success message cannot be cancelled."));

        using var response = await SendAsync(HttpMethod.Post, "/webhooks/wh_1/messages/msg_1/cancel");

        var problem = await response.ReadProblemAsync(409);
        Assert.That((string?)problem["detail"], Is.EqualTo("A Success message cannot be cancelled."));
        Assert.That(problem["allowedStatuses"], Is.Null, "a refusal that names no message status has none to list");
    }

    [TestCase("retry", MessageStatus.Success, "SUCCESS", new[] { "RETRYING", "FAILED" }, "Message 'msg_1' is SUCCESS: retry is allowed only from RETRYING or FAILED.")]
    [TestCase("retry", MessageStatus.Created, "CREATED", new[] { "RETRYING", "FAILED" }, "Message 'msg_1' is CREATED: retry is allowed only from RETRYING or FAILED.")]
    [TestCase("cancel", MessageStatus.Success, "SUCCESS", new[] { "CREATED", "RETRYING" }, "Message 'msg_1' is SUCCESS: cancel is allowed only from CREATED or RETRYING.")]
    [TestCase("cancel", MessageStatus.Cancelled, "CANCELLED", new[] { "CREATED", "RETRYING" }, "Message 'msg_1' is CANCELLED: cancel is allowed only from CREATED or RETRYING.")]
    public async Task RetryOrCancel_StatusDoesNotAllowIt_Returns409InTheApisStatusNames(string action, MessageStatus status, string wireStatus, string[] allowed, string detail)
    {
        var message = Sample.Message("msg_1", "wh_1", status);
        Api.Log.RetryAsync("wh_1", "msg_1", Arg.Any<CancellationToken>()).Returns<DeliveryMessage>(_ => MessageLifecycle.RetryNow(message, Sample.Created));
        Api.Log.CancelAsync("wh_1", "msg_1", Arg.Any<CancellationToken>()).Returns<DeliveryMessage>(_ => MessageLifecycle.Cancel(message));

        using var response = await SendAsync(HttpMethod.Post, $"/webhooks/wh_1/messages/msg_1/{action}");

        var problem = await response.ReadProblemAsync(409);
        Assert.That((string?)problem["detail"], Is.EqualTo(detail));
        Assert.That((string?)problem["messageStatus"], Is.EqualTo(wireStatus));
        Assert.That(problem["allowedStatuses"]!.AsArray().Select(s => (string?)s), Is.EqualTo(allowed));
    }

    [Test]
    public async Task Recover_Since_ReturnsCount()
    {
        var since = new DateTimeOffset(2025, 1, 30, 0, 0, 0, TimeSpan.Zero);
        Api.Log.RecoverAsync("wh_1", since, Arg.Any<CancellationToken>()).Returns(3);

        using var response = await SendAsync(HttpMethod.Post, "/webhooks/wh_1/recover", Http.Json("""{"since": "2025-01-30T00:00:00Z"}"""));

        Assert.That((int?)(await response.ReadJsonAsync())["recovered"], Is.EqualTo(3));
    }

    [TestCase("{}")]
    [TestCase("""{"since": "last week"}""")]
    public async Task Recover_MissingOrBadSince_Returns400NamingSince(string json)
    {
        using var response = await SendAsync(HttpMethod.Post, "/webhooks/wh_1/recover", Http.Json(json));

        var problem = await response.ReadProblemAsync(400);
        Assert.That(problem["errors"]!["since"], Is.Not.Null);
    }

    [Test]
    public async Task Recover_SinceGivenTwice_Returns400NamingSinceAndRecoversNothing()
    {
        using var response = await SendAsync(HttpMethod.Post, "/webhooks/wh_1/recover",
            Http.Json("""{"since": "2025-01-30T00:00:00Z", "SINCE": "2000-01-01T00:00:00Z"}"""));

        var problem = await response.ReadProblemAsync(400);
        Assert.That((string?)problem["errors"]!["since"]![0], Is.EqualTo("The field is given twice."));
        await Api.Log.DidNotReceiveWithAnyArgs().RecoverAsync(default!, default, default);
    }

    [TestCase("GET", "/webhooks/wh_1/messages")]
    [TestCase("GET", "/webhooks/wh_1/messages/msg_1")]
    [TestCase("POST", "/webhooks/wh_1/messages/msg_1/retry")]
    [TestCase("POST", "/webhooks/wh_1/messages/msg_1/cancel")]
    public async Task AnyRoute_OtherTenantsWebhook_Returns404AndTouchesNoMessage(string method, string uri)
    {
        using var response = await Api.Client.SendAsync(Http.Request(new HttpMethod(method), uri, "globex"));

        await response.ReadProblemAsync(404);
        Assert.That(Api.Log.ReceivedCalls(), Is.Empty);
    }

    // The caller's webhook, found as the caller's, may be deleted and created again with its id by another tenant before
    // the log is read (ids may be chosen): the log then holds that tenant's messages, which it shows as the webhook's.
    [Test]
    public async Task List_MessagesOfAnotherTenantThanTheCallers_AreLeftOut()
    {
        Api.Log.ListAsync(Arg.Any<MessageQuery>(), Arg.Any<CancellationToken>()).Returns(new WebhookPage<DeliveryMessage>(
            [Sample.Message("msg_2", "wh_1", tenantId: "globex"), Sample.Message("msg_1", "wh_1")], 2, 0, 10));

        using var response = await SendAsync(HttpMethod.Get, "/webhooks/wh_1/messages");

        var body = await response.ReadJsonAsync();
        Assert.That(body["items"]!.AsArray().Select(m => (string?)m!["id"]), Is.EqualTo(new[] { "msg_1" }));
        Assert.That((int?)body["total"], Is.EqualTo(1));
    }

    [Test]
    public async Task Get_MessageOfAnotherTenantThanTheCallers_Returns404Problem()
    {
        Api.Log.GetAsync("wh_1", "msg_2", Arg.Any<CancellationToken>())
            .Returns(new DeliveryMessageDetail(Sample.Message("msg_2", "wh_1", tenantId: "globex"), [Sample.Attempt(1)]));

        using var response = await SendAsync(HttpMethod.Get, "/webhooks/wh_1/messages/msg_2");

        var problem = await response.ReadProblemAsync(404);
        Assert.That((string?)problem["detail"], Does.Contain("msg_2"));
        Assert.That(problem.ToJsonString(), Does.Not.Contain("orderId"), "nor its payload");
    }

    // Message ids carry the time, a per-process part and a counter: one tenant's ids tell another's.
    [TestCase("retry")]
    [TestCase("cancel")]
    public async Task Act_MessageOfAnotherTenantThanTheCallers_Returns404AndLeavesIt(string verb)
    {
        Api.Log.GetAsync("wh_1", "msg_2", Arg.Any<CancellationToken>())
            .Returns(new DeliveryMessageDetail(Sample.Message("msg_2", "wh_1", tenantId: "globex"), [Sample.Attempt(1)]));
        Api.Log.RetryAsync("wh_1", "msg_2", Arg.Any<CancellationToken>()).Returns(Sample.Message("msg_2", "wh_1", MessageStatus.Success, "globex"));
        Api.Log.CancelAsync("wh_1", "msg_2", Arg.Any<CancellationToken>()).Returns(Sample.Message("msg_2", "wh_1", MessageStatus.Cancelled, "globex"));

        using var response = await SendAsync(HttpMethod.Post, $"/webhooks/wh_1/messages/msg_2/{verb}");

        await response.ReadProblemAsync(404);
        await Api.Log.DidNotReceiveWithAnyArgs().RetryAsync(default!, default!, default);
        await Api.Log.DidNotReceiveWithAnyArgs().CancelAsync(default!, default!, default);
    }

    private Task<HttpResponseMessage> SendAsync(HttpMethod method, string uri, HttpContent? content = null) =>
        Api.Client.SendAsync(Http.Request(method, uri, "acme", content));
}
