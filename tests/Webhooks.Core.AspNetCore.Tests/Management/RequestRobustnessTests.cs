using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using NSubstitute;

namespace Webhooks.Core.AspNetCore.Tests.Management;

/// <summary>Requests built to mislead or to overload: named twice, much too long, racing a health write.</summary>
public sealed class RequestRobustnessTests
{
    private static Task<KestrelHost> StartEngineAsync() =>
        KestrelHost.StartAsync(
            static services => services.AddWebhooks(static o => o.AllowHttp = true).UseInMemoryStore(),
            static app => app.MapWebhooks("/webhooks", static o => o.TenantResolver = static c => ValueTask.FromResult<string?>(c.Request.Headers["X-Tenant"])));

    [Test]
    public async Task Create_ManyInvalidEventTypes_AnswersOneBoundedProblem()
    {
        await using var host = await StartEngineAsync();
        var body = new StringBuilder("""{"url":"https://example.com/h","eventTypes":[""");
        body.AppendJoin(',', Enumerable.Repeat("\"!\"", 100_000)).Append("]}");

        using var response = await host.Client.SendAsync(Http.Request(HttpMethod.Post, "/webhooks", "acme", Http.Json(body.ToString())));
        var answer = await response.Content.ReadAsStringAsync();
        var problem = await response.ReadProblemAsync(400);

        Assert.Multiple(() =>
        {
            Assert.That(answer.Length, Is.LessThan(2_000), "an answer of bounded size");
            Assert.That(problem["errors"]!["eventTypes"]![0]!.GetValue<string>(), Does.StartWith("The webhook has 100000 event types; at most 100 are allowed."));
        });
    }

    [Test]
    public async Task Create_ManyProblems_ListsTheFirstTwentyAndCountsTheRest()
    {
        await using var host = await StartEngineAsync();
        var types = string.Join(',', Enumerable.Repeat("\"!\"", 30));

        using var response = await host.Client.SendAsync(Http.Request(HttpMethod.Post, "/webhooks", "acme",
            Http.Json($$"""{"url":"https://example.com/h","eventTypes":[{{types}}]}""")));
        var problem = await response.ReadProblemAsync(400);

        Assert.Multiple(() =>
        {
            Assert.That(problem["errors"]!.AsObject(), Has.Count.EqualTo(20));
            Assert.That(problem["detail"]!.GetValue<string>(), Does.EndWith("And 10 more problems."));
        });
    }

    [TestCase("POST")]
    [TestCase("PATCH")]
    public async Task HeaderNamedTwiceInOtherCase_IsAProblemNamingIt(string method)
    {
        await using var host = await StartEngineAsync();
        const string Headers = """{"X-Token":"one","x-token":"two"}""";
        HttpRequestMessage request;
        if (method == "POST")
        {
            request = Http.Request(HttpMethod.Post, "/webhooks", "acme", Http.Json($$"""{"url":"https://example.com/h","eventTypes":["a.b"],"headers":{{Headers}}}"""));
        }
        else
        {
            using var created = await host.Client.SendAsync(Http.Request(HttpMethod.Post, "/webhooks", "acme", Http.Json("""{"url":"https://example.com/h","eventTypes":["a.b"]}""")));
            var id = (string)(await created.ReadJsonAsync())["id"]!;
            request = Http.Request(HttpMethod.Patch, $"/webhooks/{id}", "acme", Http.MergePatch($$"""{"headers":{{Headers}}}"""));
        }

        using (request)
        using (var response = await host.Client.SendAsync(request))
        {
            var problem = await response.ReadProblemAsync(400);
            Assert.That(problem["errors"]!.AsObject().Select(static e => e.Key), Is.EqualTo(new[] { "headers.x-token" }));
        }
    }

    // PostgreSQL cannot store U+0000 in text: such a filter was accepted, and the PostgreSQL store answered 500.
    [TestCase("POST")]
    [TestCase("PATCH")]
    public async Task FilterWithU0000_IsAProblemNamingTheFilterAndStoresNothing(string method)
    {
        await using var host = await StartEngineAsync();
        const string Filter = "\"operation eq 'Crea\\u0000ted'\"";
        string? id = null;
        HttpRequestMessage request;
        if (method == "POST")
        {
            request = Http.Request(HttpMethod.Post, "/webhooks", "acme", Http.Json($$"""{"url":"https://example.com/h","eventFilter":{{Filter}}}"""));
        }
        else
        {
            using var created = await host.Client.SendAsync(Http.Request(HttpMethod.Post, "/webhooks", "acme", Http.Json("""{"url":"https://example.com/h","eventTypes":["a.b"]}""")));
            id = (string)(await created.ReadJsonAsync())["id"]!;
            request = Http.Request(HttpMethod.Patch, $"/webhooks/{id}", "acme", Http.MergePatch($$"""{"eventFilter":{{Filter}}}"""));
        }

        using (request)
        using (var response = await host.Client.SendAsync(request))
        {
            var problem = await response.ReadProblemAsync(400);
            Assert.That((string?)problem["errors"]!["eventFilter"]![0], Does.Contain("U+0000"));
        }

        var stored = await host.App.Services.GetRequiredService<IWebhookStore>().ListConfigsAsync(new WebhookConfigQuery { TenantId = "acme" }, CancellationToken.None);
        Assert.That(stored.Items.Select(static c => (c.Id, c.EventFilter)), Is.EqualTo(id is null ? [] : new[] { (id, (string?)null) }));
    }

    [TestCase("""{"url":"https://a.example.com/h","URL":"https://b.example.com/h","eventTypes":["a.b"]}""", "url")]
    [TestCase("""{"url":"https://a.example.com/h","eventTypes":["a.b"],"eventTypes":["c.d"]}""", "eventTypes")]
    public async Task Create_FieldGivenTwice_IsAProblemNamingIt(string body, string field)
    {
        await using var host = await StartEngineAsync();

        using var response = await host.Client.SendAsync(Http.Request(HttpMethod.Post, "/webhooks", "acme", Http.Json(body)));
        var problem = await response.ReadProblemAsync(400);

        Assert.That(problem["errors"]![field]![0]!.GetValue<string>(), Is.EqualTo("The field is given twice."));
    }

    [Test]
    public async Task Create_TenantIdEventsCouldNotName_IsAProblem()
    {
        await using var host = await StartEngineAsync();

        using var response = await host.Client.SendAsync(Http.Request(HttpMethod.Post, "/webhooks", new string('t', 257), Http.Json("""{"url":"https://example.com/h","eventTypes":["a.b"]}""")));
        var problem = await response.ReadProblemAsync(400);

        Assert.That(problem["errors"]!["tenantId"]![0]!.GetValue<string>(), Does.StartWith("The tenant id is 257 characters long"));
    }

    // Kestrel's body limit surfaced as an exception out of the JSON read: a bare 413 with no body, logged by the
    // server as an unhandled application error.
    [TestCase("POST", "/webhooks")]
    [TestCase("PATCH", "/webhooks/{id}")]
    [TestCase("POST", "/webhooks/{id}/recover")]
    public async Task BodyOverTheServerLimit_Answers413ProblemAndChangesNothing(string method, string route)
    {
        await using var host = await KestrelHost.StartAsync(
            static services =>
            {
                services.AddWebhooks(static o => o.AllowHttp = true).UseInMemoryStore();
                services.Configure<KestrelServerOptions>(static o => o.Limits.MaxRequestBodySize = 1_000);
            },
            static app => app.MapWebhooks("/webhooks", static o => o.TenantResolver = static c => ValueTask.FromResult<string?>(c.Request.Headers["X-Tenant"])));
        using var created = await host.Client.SendAsync(Http.Request(HttpMethod.Post, "/webhooks", "acme", Http.Json("""{"url":"https://example.com/h","eventTypes":["a.b"]}""")));
        var id = (string)(await created.ReadJsonAsync())["id"]!;
        var name = new string('n', 2_000);
        var body = route.EndsWith("/recover", StringComparison.Ordinal)
            ? Http.Json($$"""{"since":"2025-01-01T00:00:00Z","x":"{{name}}"}""")
            : method == "PATCH" ? Http.MergePatch($$"""{"name":"{{name}}"}""") : Http.Json($$"""{"url":"https://example.com/h","eventTypes":["a.b"],"name":"{{name}}"}""");

        using var response = await host.Client.SendAsync(Http.Request(new HttpMethod(method), route.Replace("{id}", id, StringComparison.Ordinal), "acme", body));
        var problem = await response.ReadProblemAsync(413);

        Assert.That((string?)problem["detail"], Does.Contain("1000 bytes"));
        var stored = await host.App.Services.GetRequiredService<IWebhookStore>().ListConfigsAsync(new WebhookConfigQuery { TenantId = "acme" }, CancellationToken.None);
        Assert.That(stored.Items.Select(static c => (c.Id, c.Name, c.Generation)), Is.EqualTo(new[] { (id, string.Empty, 1L) }));
    }

    [Test]
    public async Task PatchHeaders_WithoutPrecondition_WhileAHealthWriteLands_IsMergedAgainAndApplied()
    {
        await using var api = await ApiHost.StartAsync();
        var read = Sample.Webhook("wh_1", "acme") with { Generation = 3 };
        var afterHealthWrite = read with { Generation = 4 };
        api.Endpoints.GetAsync("wh_1", Arg.Any<CancellationToken>()).Returns(read, afterHealthWrite);
        api.Endpoints.UpdateAsync("wh_1", Arg.Any<WebhookUpdate>(), 3, Arg.Any<CancellationToken>())
            .Returns<WebhookConfig>(static _ => throw new WebhookConcurrencyException("Webhook 'wh_1' is at generation 4, not 3."));
        api.Endpoints.UpdateAsync("wh_1", Arg.Any<WebhookUpdate>(), 4, Arg.Any<CancellationToken>())
            .Returns(afterHealthWrite with { Generation = 5 });

        using var response = await api.Client.SendAsync(Http.Request(HttpMethod.Patch, "/webhooks/wh_1", "acme", Http.MergePatch("""{"headers":{"X-Api-Key":"new"}}""")));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
    }
}
