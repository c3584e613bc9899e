using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Webhooks.Core.AspNetCore.Tests.Management;

/// <summary>The listing routes' query: a parameter they do not take is a mistake to name, not a filter to drop.</summary>
public sealed class QueryParameterTests
{
    private static Task<KestrelHost> StartEngineAsync(Action<WebhookApiOptions>? more = null) =>
        KestrelHost.StartAsync(
            static services => services.AddWebhooks(static o => o.AllowHttp = true).UseInMemoryStore(),
            app => app.MapWebhooks("/webhooks", o =>
            {
                o.TenantResolver = static c => ValueTask.FromResult<string?>(c.Request.Headers["X-Tenant"]);
                more?.Invoke(o);
            }));

    // A misspelt filter (`staus`) was dropped without a word, and the listing answered with every webhook or message,
    // as if the client had asked for them all.
    [TestCase("/webhooks?staus=ERROR", "staus", "state, status, after, createdFrom, createdTo, offset, limit")]
    [TestCase("/webhooks/wh_1/messages?limit=5&event_type=order.created", "event_type", "status, eventType, after, createdFrom, createdTo, offset, limit")]
    public async Task List_UnknownQueryParameter_Answers400NamingItAndTheOnesTaken(string path, string unknown, string taken)
    {
        await using var host = await StartEngineAsync();

        using var response = await host.Client.SendAsync(Http.Request(HttpMethod.Get, path, "acme"));
        var problem = await response.ReadProblemAsync(400);

        Assert.That(problem["errors"]![unknown]![0]!.GetValue<string>(), Is.EqualTo($"This route takes no parameter '{unknown}'; it takes {taken}."));
    }

    [Test]
    public async Task List_QueryParametersInAnotherCase_AreTheOnesTaken()
    {
        await using var host = await StartEngineAsync();

        using var response = await host.Client.SendAsync(Http.Request(HttpMethod.Get, "/webhooks?Status=ERROR&LIMIT=5", "acme"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    // A host whose tenant resolver (or middleware) reads a query parameter of its own names it, and the routes let it by.
    [Test]
    public async Task List_HostsOwnQueryParameter_IsLetThrough()
    {
        await using var host = await StartEngineAsync(static o => o.ExtraQueryParameters.Add("api-version"));

        using var response = await host.Client.SendAsync(Http.Request(HttpMethod.Get, "/webhooks?api-version=2&status=ACTIVE", "acme"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }
}
