using System.Net;
using NSubstitute;

namespace Webhooks.Core.AspNetCore.Tests.Management;

public sealed class WebhookHandlersPatchTests : ApiFixture
{
    private WebhookUpdate? _update;
    private long? _expectedGeneration;

    protected override void Arrange()
    {
        _update = null;
        _expectedGeneration = null;
        Api.Holds("wh_1", "acme", generation: 3);
        Api.Endpoints.UpdateAsync("wh_1", Arg.Any<WebhookUpdate>(), Arg.Any<long?>(), Arg.Any<CancellationToken>())
            .Returns(call =>
            {
                _update = call.ArgAt<WebhookUpdate>(1);
                _expectedGeneration = call.ArgAt<long?>(2);
                return Sample.Webhook("wh_1", "acme") with { Generation = 4, State = _update.State ?? WebhookState.Enabled };
            });
    }

    [Test]
    public async Task Patch_StateDisabled_DisablesAndLeavesTheRestUnchanged()
    {
        using var response = await PatchAsync("""{"state": "DISABLED"}""");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        Assert.That(_update, Is.EqualTo(new WebhookUpdate { State = WebhookState.Disabled }));
        Assert.That(_expectedGeneration, Is.Null);
        Assert.That(response.Headers.ETag?.Tag, Is.EqualTo("\"4\""));
        Assert.That((string?)(await response.ReadJsonAsync())["state"], Is.EqualTo("DISABLED"));
    }

    [Test]
    public async Task Patch_NullFilterAndName_ClearsThem()
    {
        using var response = await PatchAsync("""{"eventFilter": null, "name": null, "eventTypes": ["a.b"], "url": "https://new.example/h"}""");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(_update!.EventFilter, Is.Empty);
        Assert.That(_update.Name, Is.Empty);
        Assert.That(_update.EventTypes, Is.EqualTo(new[] { "a.b" }));
        Assert.That(_update.Url, Is.EqualTo("https://new.example/h"));
        Assert.That(_update.Headers, Is.Null);
    }

    [Test]
    public async Task Patch_Headers_MergedIntoStoredHeadersAgainstTheReadGeneration()
    {
        using var response = await PatchAsync("""{"headers": {"x-api-key": null, "X-Trace": "on"}}""");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(_update!.Headers, Is.EquivalentTo(new Dictionary<string, string> { ["X-Region"] = "eu", ["X-Trace"] = "on" }));
        Assert.That(_expectedGeneration, Is.EqualTo(3));
    }

    [Test]
    public async Task Patch_HeadersUnchanged_SendsNoHeaderChange()
    {
        using var response = await PatchAsync("""{"headers": {"X-Region": "eu"}}""");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(_update!.Headers, Is.Null);
    }

    [Test]
    public async Task Patch_IfMatch_PassesGeneration()
    {
        using var response = await Api.Client.SendAsync(
            Http.Request(HttpMethod.Patch, "/webhooks/wh_1", "acme", Http.MergePatch("""{"name": "x"}""")).IfMatch("\"3\""));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(_expectedGeneration, Is.EqualTo(3));
    }

    [Test]
    public async Task Patch_GenerationField_PassesGeneration()
    {
        using var response = await PatchAsync("""{"name": "x", "generation": 2}""");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(_expectedGeneration, Is.EqualTo(2));
    }

    [TestCase("\"2\", \"3\"", 3L, 200)]
    [TestCase("*", null, 200)]
    [TestCase("\"2\"", null, 412)]
    [TestCase("W/\"3\"", null, 412)]
    [TestCase("\"2\", W/\"3\"", null, 412)]
    [TestCase("\"v3\"", null, 412)]
    [TestCase("\"03\"", null, 412)] // Strong comparison is character for character (RFC 9110 §8.8.3.2).
    public async Task Patch_IfMatch_AnswersByTheCurrentETag(string ifMatch, long? expected, int status)
    {
        using var response = await Api.Client.SendAsync(
            Http.Request(HttpMethod.Patch, "/webhooks/wh_1", "acme", Http.MergePatch("""{"name": "x"}""")).IfMatch(ifMatch));

        if (status == 412)
        {
            var problem = await response.ReadProblemAsync(412);
            Assert.That((string?)problem["detail"], Does.Contain("its ETag is \"3\""));
            await Api.Endpoints.DidNotReceiveWithAnyArgs().UpdateAsync(default!, default!, default, default);
            return;
        }

        Assert.That((int)response.StatusCode, Is.EqualTo(status), await response.Content.ReadAsStringAsync());
        Assert.That(_expectedGeneration, Is.EqualTo(expected));
    }

    // RFC 9110 §13.2.2: the precondition is evaluated before the request's content is processed, so a caller holding a
    // stale version learns that first, rather than correcting a body it must rebuild from the current version anyway.
    [TestCase("""{"state": "SOMETIMES"}""", TestName = "Patch_StaleIfMatchAndAnInvalidField_Returns412")]
    [TestCase("""{"state": """, TestName = "Patch_StaleIfMatchAndMalformedJson_Returns412")]
    public async Task Patch_StaleIfMatchAndABadBody_Returns412(string body)
    {
        using var response = await Api.Client.SendAsync(
            Http.Request(HttpMethod.Patch, "/webhooks/wh_1", "acme", Http.MergePatch(body)).IfMatch("\"2\""));

        var problem = await response.ReadProblemAsync(412);
        Assert.That((string?)problem["detail"], Does.Contain("its ETag is \"3\""));
    }

    [Test]
    public async Task Patch_IfMatchChangedAfterTheRead_Returns412Problem()
    {
        Api.Endpoints.UpdateAsync("wh_1", Arg.Any<WebhookUpdate>(), 3, Arg.Any<CancellationToken>())
            .Returns<WebhookConfig>(_ => throw new WebhookConcurrencyException("The webhook changed since generation 3."));

        using var response = await Api.Client.SendAsync(
            Http.Request(HttpMethod.Patch, "/webhooks/wh_1", "acme", Http.MergePatch("""{"name": "x"}""")).IfMatch("\"3\""));

        var problem = await response.ReadProblemAsync(412);
        Assert.That((string?)problem["detail"], Does.Contain("changed since its ETag was \"3\""));
    }

    [Test]
    public async Task Patch_StaleGenerationField_Returns409Problem()
    {
        Api.Endpoints.UpdateAsync("wh_1", Arg.Any<WebhookUpdate>(), 2, Arg.Any<CancellationToken>())
            .Returns<WebhookConfig>(_ => throw new WebhookConcurrencyException("The webhook changed since generation 2."));

        using var response = await PatchAsync("""{"name": "x", "generation": 2}""");

        var problem = await response.ReadProblemAsync(409);
        Assert.That((string?)problem["detail"], Does.Contain("generation 2"));
    }

    [TestCase("v3")]
    [TestCase("\"3")]
    [TestCase("*, \"3\"")]
    public async Task Patch_MalformedIfMatch_Returns400NamingIfMatch(string ifMatch)
    {
        using var response = await Api.Client.SendAsync(
            Http.Request(HttpMethod.Patch, "/webhooks/wh_1", "acme", Http.MergePatch("""{"name": "x"}""")).IfMatch(ifMatch));

        var problem = await response.ReadProblemAsync(400);
        Assert.That(problem["errors"]!["If-Match"], Is.Not.Null);
    }

    [Test]
    public async Task Patch_EnableRateLimited_Returns429Problem()
    {
        Api.Endpoints.UpdateAsync(default!, default!, default, default)
            .ReturnsForAnyArgs<WebhookConfig>(_ => throw new WebhookRateLimitedException(
                "Enabled 5 times in 15 minutes; try again later.", new DateTimeOffset(2026, 1, 5, 10, 15, 0, TimeSpan.FromHours(1))));

        using var response = await PatchAsync("""{"state": "ENABLED"}""");

        var problem = await response.ReadProblemAsync(429);
        Assert.Multiple(() =>
        {
            Assert.That((string?)problem["detail"], Does.Contain("5 times"));
            Assert.That(response.Headers.RetryAfter?.Date, Is.EqualTo(new DateTimeOffset(2026, 1, 5, 9, 15, 0, TimeSpan.Zero)));
            Assert.That((string?)problem["retryAt"], Is.EqualTo("2026-01-05T09:15:00+00:00"));
            Assert.That((string?)problem["type"], Is.EqualTo("https://tools.ietf.org/html/rfc6585#section-4"));
        });
    }

    [Test]
    public async Task Patch_StatusChangedOrUnknownField_Returns400NamingThem()
    {
        using var response = await PatchAsync("""{"status": "ERROR", "id": "wh_1", "colour": "red", "url": null}""");

        var errors = (await response.ReadProblemAsync(400))["errors"]!.AsObject();
        Assert.That(errors.Select(e => e.Key), Is.EquivalentTo(new[] { "status", "colour", "url" }));
        await Api.Endpoints.DidNotReceiveWithAnyArgs().UpdateAsync(default!, default!, default, default);
    }

    [TestCase("""{"tenantId": "globex"}""")]
    [TestCase("""{"tenantId": "ACME"}""")]
    [TestCase("""{"tenantId": null}""")]
    [TestCase("""{"tenantId": 7}""")]
    public async Task Patch_TenantChanged_Returns400NamingIt(string body)
    {
        using var response = await PatchAsync(body);

        var errors = (await response.ReadProblemAsync(400))["errors"]!.AsObject();
        Assert.That(errors.Select(e => e.Key), Is.EqualTo(new[] { "tenantId" }));
        Assert.That((string?)errors["tenantId"]![0], Is.EqualTo("The tenant cannot be changed; it is the caller's."));
        await Api.Endpoints.DidNotReceiveWithAnyArgs().UpdateAsync(default!, default!, default, default);
    }

    [TestCase("""{"createdAt": "2001-01-01T00:00:00Z"}""", "createdAt", "The creation time cannot be changed.")]
    [TestCase("""{"createdAt": 5}""", "createdAt", "The creation time cannot be changed.")]
    [TestCase("""{"updatedAt": "2001-01-01T00:00:00Z"}""", "updatedAt", "The update time is set by the system; leave it out, or send it back as read.")]
    [TestCase("""{"updatedAt": 5}""", "updatedAt", "The update time is set by the system; leave it out, or send it back as read.")]
    [TestCase("""{"statusReason": "Looks fine to me."}""", "statusReason", "The status reason is set by the system; leave it out, or send it back as read.")]
    [TestCase("""{"statusReason": null}""", "statusReason", "The status reason is set by the system; leave it out, or send it back as read.")]
    public async Task Patch_ReadOnlyFieldChanged_Returns400NamingIt(string body, string field, string message)
    {
        using var response = await PatchAsync(body);

        var errors = (await response.ReadProblemAsync(400))["errors"]!.AsObject();
        Assert.That(errors.Select(e => e.Key), Is.EqualTo(new[] { field }));
        Assert.That((string?)errors[field]![0], Is.EqualTo(message));
        await Api.Endpoints.DidNotReceiveWithAnyArgs().UpdateAsync(default!, default!, default, default);
    }

    [Test]
    public async Task Patch_ReadOnlyTimesInAnotherOffset_AreTheSameInstant()
    {
        var created = Sample.Created.ToOffset(TimeSpan.FromHours(2)).ToString("O", System.Globalization.CultureInfo.InvariantCulture);

        using var response = await PatchAsync($$"""{"createdAt": "{{created}}", "updatedAt": "{{created}}", "name": "x"}""");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        Assert.That(_update, Is.EqualTo(new WebhookUpdate { Name = "x" }));
    }

    /// <summary>
    /// A copy read before the webhook last changed carries that version's status, reason and update time; with its
    /// generation, the answer is the conflict (read again), not a refusal of fields the caller never meant to change.
    /// </summary>
    [Test]
    public async Task Patch_StaleCopyWithItsGeneration_Returns409NotARefusalOfItsSystemFields()
    {
        Api.Endpoints.UpdateAsync("wh_1", Arg.Any<WebhookUpdate>(), 2, Arg.Any<CancellationToken>())
            .Returns<WebhookConfig>(_ => throw new WebhookConcurrencyException("The webhook changed since generation 2."));

        using var response = await PatchAsync("""{"name": "x", "generation": 2, "status": "WARNING", "statusReason": "5 failures.", "updatedAt": "2001-01-01T00:00:00Z"}""");

        await response.ReadProblemAsync(409);
    }

    [Test]
    public async Task Patch_GetAnswerSentBack_IgnoresReadOnlyFields()
    {
        using var get = await Api.Client.SendAsync(Http.Request(HttpMethod.Get, "/webhooks/wh_1", "acme"));
        var body = await get.Content.ReadAsStringAsync();

        using var response = await PatchAsync(body);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        Assert.That(_expectedGeneration, Is.EqualTo(3));
    }

    [Test]
    public async Task Patch_OtherTenantsWebhook_Returns404()
    {
        using var response = await Api.Client.SendAsync(Http.Request(HttpMethod.Patch, "/webhooks/wh_1", "globex", Http.MergePatch("""{"state": "DISABLED"}""")));

        await response.ReadProblemAsync(404);
        await Api.Endpoints.DidNotReceiveWithAnyArgs().UpdateAsync(default!, default!, default, default);
    }

    [Test]
    public async Task Patch_NotAnObject_Returns400()
    {
        using var response = await PatchAsync("""["state", "DISABLED"]""");

        var problem = await response.ReadProblemAsync(400);
        Assert.That(problem["errors"]!["body"], Is.Not.Null);
    }

    private Task<HttpResponseMessage> PatchAsync(string json) =>
        Api.Client.SendAsync(Http.Request(HttpMethod.Patch, "/webhooks/wh_1", "acme", Http.MergePatch(json)));
}
