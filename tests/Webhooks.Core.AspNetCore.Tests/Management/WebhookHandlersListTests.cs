using System.Net;
using NSubstitute;

namespace Webhooks.Core.AspNetCore.Tests.Management;

public sealed class WebhookHandlersListTests : ApiFixture
{
    private WebhookConfigQuery? _query;

    protected override void Configure(WebhookApiOptions options) => options.MaxPageSize = 100;

    protected override void Arrange()
    {
        _query = null;
        Api.Endpoints.ListAsync(Arg.Any<WebhookConfigQuery>(), Arg.Any<CancellationToken>()).Returns(call =>
        {
            _query = call.Arg<WebhookConfigQuery>();
            return new WebhookPage<WebhookConfig>([Sample.Webhook("wh_2", "acme"), Sample.Webhook("wh_1", "acme")], 7, _query.Offset, _query.Limit);
        });
    }

    [Test]
    public async Task List_Filters_PassesThemWithTheCallersTenant()
    {
        using var response = await Api.Client.SendAsync(Http.Request(
            HttpMethod.Get,
            "/webhooks?state=disabled&status=WARNING&createdFrom=2025-01-01T00:00:00Z&createdTo=2025-02-01T00:00:00+01:00&offset=2&limit=2",
            "acme"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        Assert.That(_query, Is.EqualTo(new WebhookConfigQuery
        {
            TenantId = "acme",
            State = WebhookState.Disabled,
            Status = WebhookStatus.Warning,
            CreatedFrom = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero),
            CreatedTo = new DateTimeOffset(2025, 2, 1, 0, 0, 0, TimeSpan.FromHours(1)),
            Offset = 2,
            Limit = 2,
        }));
        var body = await response.ReadJsonAsync();
        Assert.That((int?)body["total"], Is.EqualTo(7));
        Assert.That((int?)body["offset"], Is.EqualTo(2));
        Assert.That((int?)body["limit"], Is.EqualTo(2));
        Assert.That(body["items"]!.AsArray().Select(i => (string?)i!["id"]), Is.EqualTo(new[] { "wh_2", "wh_1" }));
    }

    [Test]
    public async Task List_NoFilters_HidesUserDisabledAndUsesDefaultPage()
    {
        using var response = await Api.Client.GetAsync("/webhooks");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(_query, Is.EqualTo(new WebhookConfigQuery { Limit = 50 }));
        Assert.That(_query!.IncludeUserDisabled, Is.False);
    }

    [Test]
    public async Task List_PageWithMoreAfterIt_GivesTheNextThatListsAfterItsLastWebhook()
    {
        using var first = await Api.Client.SendAsync(Http.Request(HttpMethod.Get, "/webhooks?limit=2", "acme"));
        var next = (string?)(await first.ReadJsonAsync())["next"];
        using var following = await Api.Client.SendAsync(Http.Request(HttpMethod.Get, $"/webhooks?limit=2&offset=1&after={next}", "acme"));

        Assert.That(next, Does.Match("^[A-Za-z0-9_-]+$"), "opaque text a URL carries as it is");
        Assert.That(following.StatusCode, Is.EqualTo(HttpStatusCode.OK), await following.Content.ReadAsStringAsync());
        Assert.That(_query, Is.EqualTo(new WebhookConfigQuery { TenantId = "acme", After = WebhookListPosition.Of(Sample.Webhook("wh_1", "acme")), Offset = 1, Limit = 2 }));
    }

    [TestCase(0, 2, TestName = "List_LastPageOfWebhooks_HasNullNext")]
    [TestCase(5, 7, TestName = "List_PageEndingTheWebhooks_HasNullNext")]
    public async Task List_NoWebhookAfterThePage_HasNullNext(int offset, int total)
    {
        Api.Endpoints.ListAsync(Arg.Any<WebhookConfigQuery>(), Arg.Any<CancellationToken>())
            .Returns(new WebhookPage<WebhookConfig>([Sample.Webhook("wh_2", "acme"), Sample.Webhook("wh_1", "acme")], total, offset, 2));

        using var response = await Api.Client.GetAsync($"/webhooks?limit=2&offset={offset}");

        var body = await response.ReadJsonAsync();
        Assert.That(body.AsObject().ContainsKey("next") && body["next"] is null, body.ToJsonString());
    }

    [TestCase("limit=0", "limit")]
    [TestCase("limit=101", "limit")]
    [TestCase("limit=ten", "limit")]
    [TestCase("offset=-1", "offset")]
    [TestCase("state=PAUSED", "state")]
    [TestCase("status=GREEN", "status")]
    [TestCase("after=not-a-cursor!", "after")]
    [TestCase("after=NTo", "after")]
    [TestCase("createdFrom=yesterday", "createdFrom")]
    [TestCase("createdFrom=2025-02-01T00:00:00Z&createdTo=2025-01-01T00:00:00Z", "createdTo")]
    [TestCase("status=ACTIVE&status=ACTIVE", "status")]
    [TestCase("limit=5&LIMIT=6", "limit")]
    public async Task List_BadParameter_Returns400NamingIt(string query, string parameter)
    {
        using var response = await Api.Client.GetAsync("/webhooks?" + query);

        var errors = (await response.ReadProblemAsync(400))["errors"]!.AsObject();
        Assert.That(errors.Select(e => e.Key), Is.EqualTo(new[] { parameter }));
        await Api.Endpoints.DidNotReceiveWithAnyArgs().ListAsync(default!, default);
    }
}
