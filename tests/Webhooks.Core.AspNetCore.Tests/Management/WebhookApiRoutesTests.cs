using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Webhooks.Core.AspNetCore.Tests.Management;

public sealed class WebhookApiRoutesTests
{
    [Test]
    public async Task MapWebhooks_EveryRoute_HasOpenApiMetadata()
    {
        await using var api = await ApiHost.StartAsync(o => o.OpenApiTag = "Hooks");

        var all = api.App.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText!.StartsWith("/webhooks", StringComparison.Ordinal))
            .ToList();

        // The routes that answer a body of another media type with the API's 415 problem are not in the document.
        var refusals = all.Where(e => e.Metadata.GetMetadata<IExcludeFromDescriptionMetadata>() is not null).ToList();
        Assert.That(refusals.Select(e => $"{e.Metadata.GetMetadata<IHttpMethodMetadata>()!.HttpMethods[0]} {e.RoutePattern.RawText} {e.Order}"), Is.EquivalentTo(new[]
        {
            "POST /webhooks/ 1", "PATCH /webhooks/{id} 1", "POST /webhooks/{id}/recover 1",
        }));
        var endpoints = all.Except(refusals).ToList();

        Assert.That(endpoints.Select(e => $"{e.Metadata.GetMetadata<IHttpMethodMetadata>()!.HttpMethods[0]} {e.RoutePattern.RawText}"), Is.EquivalentTo(new[]
        {
            "POST /webhooks/", "GET /webhooks/", "GET /webhooks/{id}", "PATCH /webhooks/{id}", "DELETE /webhooks/{id}",
            "POST /webhooks/{id}/test", "POST /webhooks/{id}/secret/rotate", "GET /webhooks/{id}/messages",
            "GET /webhooks/{id}/messages/{messageId}", "POST /webhooks/{id}/messages/{messageId}/retry",
            "POST /webhooks/{id}/messages/{messageId}/cancel", "POST /webhooks/{id}/recover",
        }));
        Assert.Multiple(() =>
        {
            foreach (var endpoint in endpoints)
            {
                var route = endpoint.RoutePattern.RawText;
                Assert.That(endpoint.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName, Is.Not.Empty, route);
                Assert.That(endpoint.Metadata.GetMetadata<IEndpointSummaryMetadata>()?.Summary, Is.Not.Empty, route);
                Assert.That(endpoint.Metadata.GetMetadata<ITagsMetadata>()?.Tags, Is.EqualTo(new[] { "Hooks" }), route);
                var produces = endpoint.Metadata.GetOrderedMetadata<IProducesResponseTypeMetadata>();
                Assert.That(produces.Any(p => p.StatusCode is >= 200 and < 300), route);
                Assert.That(produces.Where(p => p.StatusCode >= 400).SelectMany(p => p.ContentTypes), Is.Not.Empty.And.All.EqualTo("application/problem+json"), route);
            }
        });
        var patch = endpoints.Single(e => e.Metadata.GetMetadata<IEndpointNameMetadata>()!.EndpointName == "UpdateWebhook");
        Assert.That(patch.Metadata.GetMetadata<IAcceptsMetadata>()!.ContentTypes, Does.Contain("application/merge-patch+json"));
    }

    // The document lists what each route answers: DELETE, test and rotate left out their If-Match answers (400, 412),
    // and test its 409 (disabled by its owner) and 429 (enable limit).
    [TestCase("CreateWebhook", new[] { 201, 400, 409, 415 })]
    [TestCase("ListWebhooks", new[] { 200, 400 })]
    [TestCase("GetWebhook", new[] { 200, 404 })]
    [TestCase("UpdateWebhook", new[] { 200, 400, 404, 409, 412, 415, 429 })]
    [TestCase("DeleteWebhook", new[] { 204, 400, 404, 412 })]
    [TestCase("TestWebhook", new[] { 200, 400, 404, 409, 412, 429 })]
    [TestCase("RotateWebhookSecret", new[] { 200, 400, 404, 412 })]
    [TestCase("ListWebhookMessages", new[] { 200, 400, 404 })]
    [TestCase("GetWebhookMessage", new[] { 200, 404 })]
    [TestCase("RetryWebhookMessage", new[] { 200, 404, 409 })]
    [TestCase("CancelWebhookMessage", new[] { 200, 404, 409 })]
    [TestCase("RecoverWebhookMessages", new[] { 200, 400, 404, 415 })]
    public async Task MapWebhooks_Route_DeclaresEveryStatusItAnswers(string name, int[] statuses)
    {
        await using var api = await ApiHost.StartAsync();

        var endpoint = api.App.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .Single(e => e.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName == name);

        Assert.That(endpoint.Metadata.GetOrderedMetadata<IProducesResponseTypeMetadata>().Select(p => p.StatusCode).Distinct(), Is.EquivalentTo(statuses));
    }

    [Test]
    public async Task MapWebhooks_RequireAuthorization_AppliesThePolicyToEveryRoute()
    {
        await using var api = await ApiHost.StartAsync(conventions: group => group.RequireAuthorization("webhook-admins"));
        api.Holds("wh_1");

        using var anonymous = await api.Client.GetAsync("/webhooks/wh_1");
        using var user = await api.Client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/webhooks/wh_1") { Headers = { { "X-User", "ann" } } });
        using var admin = await api.Client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/webhooks/wh_1") { Headers = { { "X-User", "ann" }, { "X-Role", "admin" } } });

        Assert.That(anonymous.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(user.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(admin.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public void MapWebhooks_DefaultPageLargerThanMax_Throws()
    {
        Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await ApiHost.StartAsync(o => o.DefaultPageSize = 500));
    }
}
