using System.Net;
using System.Text.Json.Nodes;
using NSubstitute;

namespace Webhooks.Core.AspNetCore.Tests.Management;

public sealed class WebhookHandlersTests : ApiFixture
{
    [Test]
    public async Task Create_ValidBody_Returns201WithLocationETagAndSecretOnce()
    {
        WebhookDefinition? received = null;
        Api.Endpoints.CreateAsync(Arg.Do<WebhookDefinition>(d => received = d), Arg.Any<CancellationToken>())
            .Returns(call => new WebhookWithSecret(Sample.Webhook("wh_1", "acme"), "whsec_bmV3LXNlY3JldC1ieXRlcy0xMjM0NTY3OA=="));

        using var response = await Api.Client.SendAsync(Http.Request(HttpMethod.Post, "/webhooks", "acme", Http.Json("""
            {"name": "Orders", "url": "https://receiver.example/hooks", "eventTypes": ["order.*"],
             "eventFilter": "operation eq 'Created'", "headers": {"X-Api-Key": "top-secret-value"},
             "state": "enabled", "verificationMode": "CHALLENGE", "isDefault": true}
            """)));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        Assert.That(response.Headers.Location?.OriginalString, Is.EqualTo("/webhooks/wh_1"));
        Assert.That(response.Headers.ETag?.Tag, Is.EqualTo("\"1\""));
        var body = await response.ReadJsonAsync();
        Assert.That((string?)body["secret"], Is.EqualTo("whsec_bmV3LXNlY3JldC1ieXRlcy0xMjM0NTY3OA=="));
        Assert.That((string?)body["state"], Is.EqualTo("ENABLED"));
        Assert.That((string?)body["status"], Is.EqualTo("ACTIVE"));
        Assert.That((string?)body["verificationMode"], Is.EqualTo("CHALLENGE"));
        Assert.That((string?)body["tenantId"], Is.EqualTo("acme"));
        Assert.That(received, Is.Not.Null);
        Assert.That(received!.TenantId, Is.EqualTo("acme"));
        Assert.That(received.State, Is.EqualTo(WebhookState.Enabled));
        Assert.That(received.VerificationMode, Is.EqualTo(VerificationMode.Challenge));
        Assert.That(received.IsDefault, Is.True);
        Assert.That(received.EventTypes, Is.EqualTo(new[] { "order.*" }));
        Assert.That(received.Headers, Does.ContainKey("X-Api-Key"));
    }

    [Test]
    public async Task Get_ExistingWebhook_ReturnsCamelCaseWithoutHeadersOrSecrets()
    {
        Api.Holds("wh_1", generation: 7);

        using var response = await Api.Client.GetAsync("/webhooks/wh_1");
        var text = await response.Content.ReadAsStringAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Headers.ETag?.Tag, Is.EqualTo("\"7\""));
        var body = JsonNode.Parse(text)!.AsObject();
        Assert.That(body.Select(p => p.Key), Is.EquivalentTo(new[]
        {
            "id", "tenantId", "name", "url", "eventTypes", "eventFilter", "state", "status", "statusReason", "isDefault",
            "verificationMode", "createdAt", "updatedAt", "generation",
        }));
        Assert.That(body["tenantId"], Is.Null, "the default tenant");
        Assert.That(text, Does.Not.Contain("top-secret-value").And.Not.Contain("whsec_").And.Not.Contain("X-Api-Key"));
        Assert.That((long?)body["generation"], Is.EqualTo(7));
        Assert.That((string?)body["statusReason"], Is.EqualTo("Webhook handshake accepted."));
    }

    [Test]
    public async Task Get_UnknownId_Returns404Problem()
    {
        using var response = await Api.Client.GetAsync("/webhooks/wh_missing");

        var problem = await response.ReadProblemAsync(404);
        Assert.That((string?)problem["detail"], Does.Contain("wh_missing"));
    }

    [Test]
    public async Task Get_OtherTenantsWebhook_Returns404Problem()
    {
        Api.Holds("wh_1", "acme");

        using var response = await Api.Client.SendAsync(Http.Request(HttpMethod.Get, "/webhooks/wh_1", "globex"));

        await response.ReadProblemAsync(404);
    }

    [Test]
    public async Task Create_MalformedJson_Returns400NamingLineAndPosition()
    {
        using var response = await Api.Client.PostAsync("/webhooks", Http.Json("{\"url\": \"https://x.example\",\n \"name\": oops}"));

        var problem = await response.ReadProblemAsync(400);
        Assert.That((string?)problem["detail"], Does.Contain("line 2, position 10").And.Not.Contain("LineNumber"), "the position once, counted from one");
        Assert.That((int?)problem["line"], Is.EqualTo(2));
        Assert.That((int?)problem["position"], Is.EqualTo(10));
        await Api.Endpoints.DidNotReceiveWithAnyArgs().CreateAsync(default!, default);
    }

    [TestCase("POST", "/webhooks", """{"url": "\ud800"}""", "url")]
    [TestCase("POST", "/webhooks", """{"\ud800": 1}""", "body")]
    [TestCase("POST", "/webhooks", """{"url": "https://x.example", "headers": {"\udfff": "x"}}""", "headers")]
    [TestCase("POST", "/webhooks", """{"url": "https://x.example", "eventTypes": ["order.created", "a\ud800b"]}""", "eventTypes[1]")]
    [TestCase("POST", "/webhooks", """{"url": "https://x.example/<FF>"}""", "url")]
    [TestCase("PATCH", "/webhooks/wh_1", """{"name": "\udfff"}""", "name")]
    [TestCase("POST", "/webhooks/wh_1/recover", """{"since": "\ud800"}""", "since")]
    public async Task Body_TextNotValidUnicode_Returns400NamingTheField(string method, string path, string json, string field)
    {
        Api.Holds("wh_1");
        // "<FF>" stands for the single byte 0xFF, which is not UTF-8.
        var bytes = json.Split("<FF>").Select(System.Text.Encoding.UTF8.GetBytes).Aggregate(static (before, after) => [.. before, 0xFF, .. after]);
        var content = new ByteArrayContent(bytes) { Headers = { ContentType = new("application/json") } };

        using var response = await Api.Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = content });

        var problem = await response.ReadProblemAsync(400);
        Assert.That(problem["errors"]!.AsObject().Select(e => e.Key), Is.EqualTo(new[] { field }));
        Assert.That((string?)problem["errors"]![field]![0], Does.Contain("not valid Unicode"));
    }

    [Test]
    public async Task Create_UnknownEnumValue_Returns400NamingFieldAndAllowedValues()
    {
        using var response = await Api.Client.PostAsync("/webhooks", Http.Json("""{"url": "https://x.example", "state": "PAUSED"}"""));

        var problem = await response.ReadProblemAsync(400);
        Assert.That((string?)problem["errors"]!["state"]![0], Does.Contain("ENABLED, DISABLED").And.Contain("PAUSED"));
    }

    [Test]
    public async Task Create_WrongTypesAndUnknownField_Returns400NamingEachField()
    {
        using var response = await Api.Client.PostAsync("/webhooks", Http.Json("""{"url": 42, "eventTypes": "order.*", "headers": {"X-A": 1}, "colour": "red"}"""));

        var errors = (await response.ReadProblemAsync(400))["errors"]!.AsObject();
        Assert.That(errors.Select(e => e.Key), Is.EquivalentTo(new[] { "url", "eventTypes", "headers.X-A", "colour" }));
    }

    [Test]
    public async Task Create_TenantIdInTheBody_Returns400ReadOnly()
    {
        using var response = await Api.Client.SendAsync(Http.Request(HttpMethod.Post, "/webhooks", "acme", Http.Json("""
            {"url": "https://receiver.example/hooks", "eventTypes": ["order.*"], "tenantId": "globex"}
            """)));

        var errors = (await response.ReadProblemAsync(400))["errors"]!.AsObject();
        Assert.That(errors.Select(e => e.Key), Is.EqualTo(new[] { "tenantId" }));
        Assert.That((string?)errors["tenantId"]![0], Does.StartWith("The field is read-only."));
        await Api.Endpoints.DidNotReceiveWithAnyArgs().CreateAsync(default!, default);
    }

    [Test]
    public async Task Create_MissingUrl_Returns400NamingUrl()
    {
        using var response = await Api.Client.PostAsync("/webhooks", Http.Json("""{"eventTypes": ["order.*"]}"""));

        var errors = (await response.ReadProblemAsync(400))["errors"]!;
        Assert.That(errors["url"], Is.Not.Null);
    }

    [Test]
    public async Task Create_InvalidDefinition_Returns400WithEveryProblemKeyedByField()
    {
        Api.Endpoints.CreateAsync(default!, default).ReturnsForAnyArgs<WebhookWithSecret>(_ => throw new WebhookValidationException(
        [
            new ValidationProblem("url", "The URL must be absolute https."),
            new ValidationProblem("headers.Content-Type", "The header is reserved."),
            new ValidationProblem("eventFilter", "Expected a value at position 12."),
        ]));

        using var response = await Api.Client.PostAsync("/webhooks", Http.Json("""{"url": "ftp://x", "eventFilter": "type eq"}"""));

        var errors = (await response.ReadProblemAsync(400))["errors"]!;
        Assert.That((string?)errors["url"]![0], Is.EqualTo("The URL must be absolute https."));
        Assert.That((string?)errors["headers.Content-Type"]![0], Is.EqualTo("The header is reserved."));
        Assert.That((string?)errors["eventFilter"]![0], Does.Contain("position 12"));
    }

    // This host registers no problem details service: the API answers these itself.
    [TestCase("POST", "/webhooks", "application/json")]
    [TestCase("PATCH", "/webhooks/wh_1", "application/merge-patch+json")]
    [TestCase("POST", "/webhooks/wh_1/recover", "application/json")]
    public async Task Body_NotJson_Returns415Problem(string method, string path, string expected)
    {
        Api.Holds("wh_1", "acme");
        using var form = await Api.Client.SendAsync(Http.Request(new HttpMethod(method), path, "acme", new FormUrlEncodedContent([new("url", "https://x.example")])));
        using var none = await Api.Client.SendAsync(Http.Request(new HttpMethod(method), path, "acme"));

        foreach (var response in new[] { form, none })
        {
            var problem = await response.ReadProblemAsync(415);
            Assert.That((string?)problem["detail"], Is.EqualTo($"The body must be sent as {expected}."));
        }

        await Api.Endpoints.DidNotReceiveWithAnyArgs().CreateAsync(default!, default);
        await Api.Endpoints.DidNotReceiveWithAnyArgs().UpdateAsync(default!, default!, default, default);
    }

    [Test]
    public async Task Delete_OwnWebhook_Returns204()
    {
        Api.Holds("wh_1", "acme");
        Api.Endpoints.DeleteAsync("wh_1", Arg.Any<long?>(), Arg.Any<CancellationToken>()).Returns(true);

        using var response = await Api.Client.SendAsync(Http.Request(HttpMethod.Delete, "/webhooks/wh_1", "acme"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        await Api.Endpoints.Received(1).DeleteAsync("wh_1", null, Arg.Any<CancellationToken>());
    }

    // A webhook read as the caller's may be deleted and created again with its id by another tenant before the change
    // is made: the change goes through the caller's tenant's view, which checks the tenant on the version it changes.
    [Test]
    public async Task Changes_AreMadeThroughTheCallersTenantsView()
    {
        var view = Substitute.For<IWebhookEndpoints>();
        Api.Endpoints.ForTenant("acme").Returns(view);
        var config = Sample.Webhook("wh_1", "acme") with { Generation = 3 };
        view.GetAsync("wh_1", Arg.Any<CancellationToken>()).Returns(config);
        view.DeleteAsync("wh_1", Arg.Any<long?>(), Arg.Any<CancellationToken>()).Returns(true);
        view.UpdateAsync("wh_1", Arg.Any<WebhookUpdate>(), Arg.Any<long?>(), Arg.Any<CancellationToken>()).Returns(config);
        view.TestAsync("wh_1", Arg.Any<long?>(), Arg.Any<CancellationToken>()).Returns(config);
        view.RotateSecretAsync("wh_1", Arg.Any<long?>(), Arg.Any<CancellationToken>()).Returns(new WebhookWithSecret(config, config.Secrets[0].Key));

        using var patch = new StringContent("""{"name": "renamed"}""", System.Text.Encoding.UTF8, "application/merge-patch+json");
        using var patched = await Api.Client.SendAsync(Http.Request(HttpMethod.Patch, "/webhooks/wh_1", "acme", patch));
        using var tested = await Api.Client.SendAsync(Http.Request(HttpMethod.Post, "/webhooks/wh_1/test", "acme"));
        using var rotated = await Api.Client.SendAsync(Http.Request(HttpMethod.Post, "/webhooks/wh_1/secret/rotate", "acme"));
        using var deleted = await Api.Client.SendAsync(Http.Request(HttpMethod.Delete, "/webhooks/wh_1", "acme"));

        Assert.That(
            new[] { patched.StatusCode, tested.StatusCode, rotated.StatusCode, deleted.StatusCode },
            Is.EqualTo(new[] { HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.NoContent }));
        await view.Received(1).UpdateAsync("wh_1", Arg.Any<WebhookUpdate>(), Arg.Any<long?>(), Arg.Any<CancellationToken>());
        await view.Received(1).TestAsync("wh_1", Arg.Any<long?>(), Arg.Any<CancellationToken>());
        await view.Received(1).RotateSecretAsync("wh_1", Arg.Any<long?>(), Arg.Any<CancellationToken>());
        await view.Received(1).DeleteAsync("wh_1", Arg.Any<long?>(), Arg.Any<CancellationToken>());
        await Api.Endpoints.DidNotReceiveWithAnyArgs().UpdateAsync(default!, default!, default, default);
        await Api.Endpoints.DidNotReceiveWithAnyArgs().TestAsync(default!, default, default);
        await Api.Endpoints.DidNotReceiveWithAnyArgs().RotateSecretAsync(default!, default, default);
        await Api.Endpoints.DidNotReceiveWithAnyArgs().DeleteAsync(default!, default, default);
    }

    [Test]
    public async Task Delete_OtherTenantsWebhook_Returns404AndDeletesNothing()
    {
        Api.Holds("wh_1", "acme");

        using var response = await Api.Client.SendAsync(Http.Request(HttpMethod.Delete, "/webhooks/wh_1", "globex"));

        await response.ReadProblemAsync(404);
        await Api.Endpoints.DidNotReceiveWithAnyArgs().DeleteAsync(default!, default, default);
    }

    // The If-Match the handler checked is checked again by the engine as it makes the change: a change landing between
    // the two answers 412, as a stale If-Match does.
    [TestCase("DELETE", "", TestName = "Delete_IfMatch_PassesItsGenerationAndAChangeMeanwhileIs412")]
    [TestCase("POST", "/test", TestName = "Test_IfMatch_PassesItsGenerationAndAChangeMeanwhileIs412")]
    [TestCase("POST", "/secret/rotate", TestName = "RotateSecret_IfMatch_PassesItsGenerationAndAChangeMeanwhileIs412")]
    public async Task Change_IfMatch_PassesItsGenerationAndAChangeMeanwhileIs412(string method, string route)
    {
        Api.Holds("wh_1", "acme", generation: 3);
        var changed = new WebhookConcurrencyException("The webhook changed since generation 3.");
        Api.Endpoints.DeleteAsync("wh_1", 3, Arg.Any<CancellationToken>()).Returns<bool>(_ => throw changed);
        Api.Endpoints.TestAsync("wh_1", 3, Arg.Any<CancellationToken>()).Returns<WebhookConfig>(_ => throw changed);
        Api.Endpoints.RotateSecretAsync("wh_1", 3, Arg.Any<CancellationToken>()).Returns<WebhookWithSecret>(_ => throw changed);

        using var response = await Api.Client.SendAsync(Http.Request(new HttpMethod(method), "/webhooks/wh_1" + route, "acme").IfMatch("\"3\""));

        var problem = await response.ReadProblemAsync(412);
        Assert.That((string?)problem["detail"], Does.Contain("changed since its ETag was \"3\""));
    }

    [Test]
    public async Task Test_OwnWebhook_ReturnsWebhookAfterVerification()
    {
        Api.Holds("wh_1");
        Api.Endpoints.TestAsync("wh_1", Arg.Any<long?>(), Arg.Any<CancellationToken>())
            .Returns(Sample.Webhook("wh_1") with { State = WebhookState.Disabled, Status = WebhookStatus.Warning, StatusReason = "Incorrect handshake response." });

        using var response = await Api.Client.PostAsync("/webhooks/wh_1/test", content: null);

        var body = await response.ReadJsonAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((string?)body["status"], Is.EqualTo("WARNING"));
        Assert.That((string?)body["statusReason"], Is.EqualTo("Incorrect handshake response."));
    }

    [Test]
    public async Task RotateSecret_OwnWebhook_ReturnsNewSecret()
    {
        Api.Holds("wh_1");
        Api.Endpoints.RotateSecretAsync("wh_1", Arg.Any<long?>(), Arg.Any<CancellationToken>())
            .Returns(new WebhookWithSecret(Sample.Webhook("wh_1") with { Generation = 2 }, "whsec_cm90+YXRlZC1zZWNyZXQtYnl0ZXMtMT/zNDU2"));

        using var response = await Api.Client.PostAsync("/webhooks/wh_1/secret/rotate", content: null);

        // Written as is, not as \u002B, so that it can be copied from a terminal.
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("\"secret\":\"whsec_cm90+YXRlZC1zZWNyZXQtYnl0ZXMtMT/zNDU2\""));
        Assert.That(response.Headers.ETag?.Tag, Is.EqualTo("\"2\""));
    }

    [Test]
    public async Task RotateSecret_UnknownId_Returns404()
    {
        using var response = await Api.Client.PostAsync("/webhooks/nope/secret/rotate", content: null);

        await response.ReadProblemAsync(404);
        await Api.Endpoints.DidNotReceiveWithAnyArgs().RotateSecretAsync(default!, default, default);
    }
}
