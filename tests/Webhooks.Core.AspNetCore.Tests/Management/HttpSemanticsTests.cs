using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using NSubstitute;

namespace Webhooks.Core.AspNetCore.Tests.Management;

/// <summary>
/// HTTP semantics of the management API and the receiver a demanding client relies on: conditional requests on every
/// change, escaped locations, strict RFC 3339 times, write-only header values, patches that change nothing, patch
/// formats, Retry-After, and the receiver's body limit above the server's.
/// </summary>
public sealed class HttpSemanticsTests
{
    private static Task<KestrelHost> StartEngineAsync(Action<WebhooksOptions>? configure = null, string prefix = "/webhooks", Func<HttpContext, ValueTask<string?>>? tenant = null) =>
        KestrelHost.StartAsync(
            services => services.AddWebhooks(o =>
            {
                o.AllowHttp = true;
                o.DefaultVerificationMode = VerificationMode.None;
                configure?.Invoke(o);
            }).UseInMemoryStore(),
            app => app.MapWebhooks(prefix, o => o.TenantResolver = tenant ?? (static c => ValueTask.FromResult<string?>(c.Request.Headers["X-Tenant"]))));

    private static async Task<string> CreateAsync(HttpClient client, string uri = "/webhooks", string tenant = "acme", string url = "https://example.com/h")
    {
        using var created = await client.SendAsync(Http.Request(HttpMethod.Post, uri, tenant, Http.Json($$"""{"url":"{{url}}","eventTypes":["a.b"]}""")));
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), await created.Content.ReadAsStringAsync());
        return (string)(await created.ReadJsonAsync())["id"]!;
    }

    [TestCase("DELETE", "")]
    [TestCase("POST", "/secret/rotate")]
    public async Task StaleIfMatch_Returns412AndChangesNothing(string method, string route)
    {
        await using var host = await StartEngineAsync();
        var id = await CreateAsync(host.Client);
        using (var patched = await host.Client.SendAsync(Http.Request(HttpMethod.Patch, $"/webhooks/{id}", "acme", Http.MergePatch("""{"name":"renamed by someone else"}"""))))
        {
            Assert.That(patched.Headers.ETag?.Tag, Is.EqualTo("\"2\""));
        }

        // The caller read generation 1 and deletes "that" webhook.
        using var response = await host.Client.SendAsync(Http.Request(new HttpMethod(method), $"/webhooks/{id}{route}", "acme").IfMatch("\"1\""));

        Assert.That((int)response.StatusCode, Is.EqualTo(412), "a stale If-Match must not delete or rotate");
        using var get = await host.Client.SendAsync(Http.Request(HttpMethod.Get, $"/webhooks/{id}", "acme"));
        Assert.That(get.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the webhook must still exist");
        Assert.That(get.Headers.ETag?.Tag, Is.EqualTo("\"2\""), "and be unchanged");
    }

    [TestCase("01/02/2025")]
    [TestCase("8:00")]
    [TestCase("Feb 1")]
    public async Task List_CreatedFromNotRfc3339_Returns400NamingIt(string value)
    {
        await using var host = await StartEngineAsync();

        using var response = await host.Client.SendAsync(Http.Request(HttpMethod.Get, $"/webhooks?createdFrom={Uri.EscapeDataString(value)}", "acme"));

        var problem = await response.ReadProblemAsync(400);
        Assert.That(problem["errors"]!["createdFrom"], Is.Not.Null);
    }

    // RFC 3339 §5.6 (time-second 00-60) and §5.7: a leap second was refused as "Expected an RFC 3339 date and time".
    [Test]
    public async Task LeapSecond_ReadInTheBodyAndTheQueryAsTheSecondAfter()
    {
        await using var api = await ApiHost.StartAsync();
        api.Holds("wh_1", "acme");
        var after = new DateTimeOffset(2017, 1, 1, 0, 0, 0, TimeSpan.Zero);
        api.Log.ListAsync(Arg.Any<MessageQuery>(), Arg.Any<CancellationToken>()).Returns(new WebhookPage<DeliveryMessage>([], 0, 0, 50));

        using var recover = await api.Client.SendAsync(Http.Request(HttpMethod.Post, "/webhooks/wh_1/recover", "acme", Http.Json("""{"since":"2016-12-31T23:59:60Z"}""")));
        using var list = await api.Client.SendAsync(Http.Request(HttpMethod.Get, $"/webhooks/wh_1/messages?createdFrom={Uri.EscapeDataString("2017-01-01T00:59:60+01:00")}", "acme"));

        Assert.Multiple(async () =>
        {
            Assert.That(recover.StatusCode, Is.EqualTo(HttpStatusCode.OK), await recover.Content.ReadAsStringAsync());
            Assert.That(list.StatusCode, Is.EqualTo(HttpStatusCode.OK), await list.Content.ReadAsStringAsync());
        });
        await api.Log.Received(1).RecoverAsync("wh_1", after, Arg.Any<CancellationToken>());
        await api.Log.Received(1).ListAsync(Arg.Is<MessageQuery>(q => q.CreatedFrom == after), Arg.Any<CancellationToken>());
    }

    [Test]
    public async Task TimeWithoutOffset_RefusedInTheBodyAndTheQuery()
    {
        // Read in no time zone: the server's would make the same text mean different instants on different hosts.
        await using var api = await ApiHost.StartAsync();
        api.Holds("wh_1", "acme");

        using var recover = await api.Client.SendAsync(Http.Request(HttpMethod.Post, "/webhooks/wh_1/recover", "acme", Http.Json("""{"since":"2025-01-31T08:00:00"}""")));
        using var list = await api.Client.SendAsync(Http.Request(HttpMethod.Get, "/webhooks/wh_1/messages?createdFrom=2025-01-31T08:00:00", "acme"));

        var (inBody, inQuery) = (await recover.ReadProblemAsync(400), await list.ReadProblemAsync(400));
        Assert.Multiple(() =>
        {
            Assert.That((string?)inBody["errors"]!["since"]![0], Does.Contain("with its offset"));
            Assert.That((string?)inQuery["errors"]!["createdFrom"]![0], Does.Contain("with its offset"));
        });
        await api.Log.DidNotReceiveWithAnyArgs().RecoverAsync(default!, default, default);
    }

    [Test]
    public async Task Create_UnderAPrefixWithANonAsciiRouteValue_Answers201WithAnEscapedLocation()
    {
        await using var host = await StartEngineAsync(
            prefix: "/tenants/{tenant}/webhooks",
            tenant: static c => ValueTask.FromResult((string?)c.Request.RouteValues["tenant"]));

        using var response = await host.Client.SendAsync(Http.Request(HttpMethod.Post, "/tenants/caf%C3%A9/webhooks", content: Http.Json("""{"url":"https://example.com/h","eventTypes":["a.b"]}""")));
        var text = await response.Content.ReadAsStringAsync();
        using var list = await host.Client.GetAsync("/tenants/caf%C3%A9/webhooks");
        var total = (int)(await list.ReadJsonAsync())["total"]!;

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), text);
            Assert.That(response.Headers.Location?.OriginalString, Does.StartWith("/tenants/caf%C3%A9/webhooks/wh_"));
            Assert.That(total, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task Patch_HeaderValueOfAWrongType_ProblemDoesNotEchoTheValue()
    {
        await using var host = await StartEngineAsync();
        var id = await CreateAsync(host.Client);

        using var response = await host.Client.SendAsync(Http.Request(HttpMethod.Patch, $"/webhooks/{id}", "acme", Http.MergePatch("""{"headers":{"X-Api-Key": 8675309123456}}""")));
        var text = await response.Content.ReadAsStringAsync();

        await response.ReadProblemAsync(400);
        Assert.That(text, Does.Not.Contain("8675309123456"));
    }

    [TestCase("POST")]
    [TestCase("PATCH")]
    public async Task HeadersNotAnObject_ProblemDoesNotEchoThem(string method)
    {
        await using var host = await StartEngineAsync();
        const string Headers = "\"X-Api-Key: sk_live_8675309\"";
        using var request = method == "POST"
            ? Http.Request(HttpMethod.Post, "/webhooks", "acme", Http.Json($$"""{"url":"https://example.com/h","eventTypes":["a.b"],"headers":{{Headers}}}"""))
            : Http.Request(HttpMethod.Patch, $"/webhooks/{await CreateAsync(host.Client)}", "acme", Http.MergePatch($$"""{"headers":{{Headers}}}"""));

        using var response = await host.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();

        var problem = await response.ReadProblemAsync(400);
        Assert.Multiple(() =>
        {
            Assert.That(problem["errors"]!["headers"], Is.Not.Null);
            Assert.That(text, Does.Not.Contain("sk_live_8675309"));
        });
    }

    [Test]
    public async Task Patch_ThatChangesNothing_LeavesGenerationAndUpdatedAt()
    {
        await using var host = await StartEngineAsync();
        var id = await CreateAsync(host.Client);
        using var get = await host.Client.SendAsync(Http.Request(HttpMethod.Get, $"/webhooks/{id}", "acme"));
        var before = await get.ReadJsonAsync();

        using var response = await host.Client.SendAsync(Http.Request(HttpMethod.Patch, $"/webhooks/{id}", "acme", Http.MergePatch("""{"name": ""}""")));
        var after = await response.ReadJsonAsync();

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That((long)after["generation"]!, Is.EqualTo((long)before["generation"]!));
            Assert.That((string?)after["updatedAt"], Is.EqualTo((string?)before["updatedAt"]));
        });
    }

    [TestCase("url")]
    [TestCase("headers")]
    public async Task Patch_DisableAWebhookStoredUnderOlderRules_Succeeds(string rule)
    {
        await using var host = await StartEngineAsync(o =>
        {
            o.AllowHttp = false;
            o.ReservedHeaderPrefixes.Add("x-internal-");
        });
        var store = host.App.Services.GetRequiredService<IWebhookStore>();
        var stored = new WebhookConfig
        {
            Id = "wh_old",
            TenantId = "acme",
            Url = rule == "url" ? "http://legacy.example.com/h" : "https://legacy.example.com/h",
            EventTypes = ["a.b"],
            Headers = rule == "headers" ? new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["X-Internal-Token"] = "t" } : new Dictionary<string, string>(),
            Secrets = [WebhookSecret.Generate(DateTimeOffset.UtcNow)],
            State = WebhookState.Enabled,
            Status = WebhookStatus.Active,
            CreatedAt = DateTimeOffset.UtcNow,
            UpdatedAt = DateTimeOffset.UtcNow,
            Generation = 1,
        };
        await store.AddConfigAsync(stored, CancellationToken.None);

        using var response = await host.Client.SendAsync(Http.Request(HttpMethod.Patch, "/webhooks/wh_old", "acme", Http.MergePatch("""{"state":"DISABLED"}""")));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task Patch_StaleGenerationFieldWithACurrentIfMatch_Returns409()
    {
        await using var host = await StartEngineAsync();
        var id = await CreateAsync(host.Client);
        using (await host.Client.SendAsync(Http.Request(HttpMethod.Patch, $"/webhooks/{id}", "acme", Http.MergePatch("""{"name":"second"}""")))) { }

        using var response = await host.Client.SendAsync(
            Http.Request(HttpMethod.Patch, $"/webhooks/{id}", "acme", Http.MergePatch("""{"name":"third","generation":1}""")).IfMatch("\"2\""));

        Assert.That((int)response.StatusCode, Is.EqualTo(409), await response.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task Receiver_MaxBodySizeAboveTheServerLimit_AcceptsABodyWithinIt()
    {
        await using var receiver = await Receiving.ReceiverHost.StartAsync(o =>
        {
            o.Secrets.Add(Receiving.SignedRequest.Secret);
            o.MaxBodySize = 40L * 1024 * 1024;
        });
        var body = $$"""{"type":"report.ready","data":"{{new string('x', 31 * 1024 * 1024)}}"}""";

        HttpResponseMessage response;
        try
        {
            response = await receiver.Client.SendAsync(Receiving.SignedRequest.Create("/hooks", "msg_big", receiver.Time.GetUtcNow(), body));
        }
        catch (HttpRequestException exception)
        {
            Assert.Fail($"A 31 MiB body under a MaxBodySize of 40 MiB was cut off by the server (Kestrel's 30,000,000-byte MaxRequestBodySize): {exception.Message}");
            return;
        }

        using (response)
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        }
    }

    [Test]
    public async Task Patch_JsonPatchDocument_Returns415WithAcceptPatch()
    {
        await using var host = await StartEngineAsync();
        var id = await CreateAsync(host.Client);

        using var response = await host.Client.SendAsync(Http.Request(HttpMethod.Patch, $"/webhooks/{id}", "acme",
            Http.Json("""[{"op":"replace","path":"/name","value":"x"}]""", "application/json-patch+json")));

        Assert.Multiple(async () =>
        {
            Assert.That((int)response.StatusCode, Is.EqualTo(415), await response.Content.ReadAsStringAsync());
            Assert.That(response.Headers.TryGetValues("Accept-Patch", out var accepted) ? string.Join(",", accepted) : null, Does.Contain("application/merge-patch+json"));
        });
    }

    // Bodies routing refuses before the patch route runs (not JSON at all) get the header too (RFC 5789 §2.2).
    [TestCase("text/plain")]
    [TestCase("application/x-www-form-urlencoded")]
    public async Task Patch_NotJson_Returns415WithAcceptPatch(string mediaType)
    {
        await using var host = await StartEngineAsync();
        var id = await CreateAsync(host.Client);

        using var response = await host.Client.SendAsync(Http.Request(HttpMethod.Patch, $"/webhooks/{id}", "acme", Http.Json("""{"name":"x"}""", mediaType)));

        Assert.Multiple(async () =>
        {
            Assert.That((int)response.StatusCode, Is.EqualTo(415), await response.Content.ReadAsStringAsync());
            Assert.That(response.Headers.TryGetValues("Accept-Patch", out var accepted) ? string.Join(",", accepted) : null, Is.EqualTo("application/merge-patch+json"));
        });
    }

    [Test]
    public async Task Patch_EnableAgainAtRetryAfter_IsAllowed()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2025, 1, 31, 8, 0, 0, 600, TimeSpan.Zero));
        await using var host = await KestrelHost.StartAsync(
            services =>
            {
                services.AddSingleton<TimeProvider>(time);
                services.AddWebhooks(static o => o.DefaultVerificationMode = VerificationMode.None).UseInMemoryStore();
            },
            static app => app.MapWebhooks("/webhooks", static o => o.TenantResolver = static c => ValueTask.FromResult<string?>(c.Request.Headers["X-Tenant"])));
        var id = await CreateAsync(host.Client);
        async Task<HttpResponseMessage> SetStateAsync(string state) =>
            await host.Client.SendAsync(Http.Request(HttpMethod.Patch, $"/webhooks/{id}", "acme", Http.MergePatch($$"""{"state":"{{state}}"}""")));

        for (var i = 0; i < 5; i++)
        {
            (await SetStateAsync("DISABLED")).Dispose();
            using var enabled = await SetStateAsync("ENABLED");
            Assert.That(enabled.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        (await SetStateAsync("DISABLED")).Dispose();
        using var limited = await SetStateAsync("ENABLED");
        Assert.That((int)limited.StatusCode, Is.EqualTo(429));
        var retryAfter = limited.Headers.RetryAfter!.Date!.Value;

        time.SetUtcNow(retryAfter);
        using var again = await SetStateAsync("ENABLED");

        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.OK),
            $"Retry-After said {retryAfter:O}; the answer then: {await again.Content.ReadAsStringAsync()}");
    }

    // The body was read as UTF-8 whatever its charset: a UTF-16 body got "'0x00' is an invalid start of a property
    // name", and "café" in ISO-8859-1 "bytes that are not UTF-8".
    [TestCase("utf-16")]
    [TestCase("utf-16BE")]
    [TestCase("iso-8859-1")]
    [TestCase("\"utf-8\"")]
    public async Task Create_BodyInTheCharsetItsContentTypeNames_IsReadInThatCharset(string charset)
    {
        await using var host = await StartEngineAsync();
        var encoding = System.Text.Encoding.GetEncoding(charset.Trim('"'));
        using var content = new ByteArrayContent(encoding.GetBytes("""{"url":"https://example.com/h","name":"Café","eventTypes":["a.b"]}"""));
        content.Headers.TryAddWithoutValidation("Content-Type", $"application/json; charset={charset}");

        using var response = await host.Client.SendAsync(Http.Request(HttpMethod.Post, "/webhooks", "acme", content));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        Assert.That((string?)(await response.ReadJsonAsync())["name"], Is.EqualTo("Café"));
    }

    // UTF-7, a charset .NET knows but refuses to decode (SYSLIB0001), threw NotSupportedException: a 500.
    [TestCase("klingon")]
    [TestCase("utf-7")]
    public async Task Patch_CharsetNotSupported_Returns415NamingItAndChangesNothing(string charset)
    {
        await using var host = await StartEngineAsync();
        var id = await CreateAsync(host.Client);
        using var content = new ByteArrayContent("""{"name":"x"}"""u8.ToArray());
        content.Headers.TryAddWithoutValidation("Content-Type", $"application/merge-patch+json; charset={charset}");

        using var response = await host.Client.SendAsync(Http.Request(HttpMethod.Patch, $"/webhooks/{id}", "acme", content));
        var problem = await response.ReadProblemAsync(415);

        Assert.That((string?)problem["detail"], Does.Contain($"'{charset}'").And.Contain("UTF-8"));
        using var read = await host.Client.SendAsync(Http.Request(HttpMethod.Get, $"/webhooks/{id}", "acme"));
        Assert.That((string?)(await read.ReadJsonAsync())["name"], Is.Empty);
    }

    private static ByteArrayContent Gzipped(string json)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(buffer, System.IO.Compression.CompressionLevel.Fastest))
        {
            gzip.Write(System.Text.Encoding.UTF8.GetBytes(json));
        }

        var content = new ByteArrayContent(buffer.ToArray());
        content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
        content.Headers.ContentEncoding.Add("gzip");
        return content;
    }

    // A compressed body was parsed as it came: "The body is not valid JSON at line 1, position 1: '0x1F' is an
    // invalid start of a value", as if the client had sent broken JSON.
    [Test]
    public async Task Create_CompressedBodyTheHostDoesNotDecompress_Returns415NamingTheCodingAndStoresNothing()
    {
        await using var host = await StartEngineAsync();
        using var content = Gzipped("""{"url":"https://example.com/h","eventTypes":["a.b"]}""");

        using var response = await host.Client.SendAsync(Http.Request(HttpMethod.Post, "/webhooks", "acme", content));
        var problem = await response.ReadProblemAsync(415);

        Assert.Multiple(async () =>
        {
            Assert.That((string?)problem["detail"], Does.Contain("gzip"));
            // RFC 7694 §3: the codings the server takes, none but identity.
            Assert.That(response.Headers.TryGetValues("Accept-Encoding", out var accepted) ? string.Join(",", accepted) : null, Is.EqualTo("identity"));
            var stored = await host.App.Services.GetRequiredService<IWebhookStore>().ListConfigsAsync(new WebhookConfigQuery { TenantId = "acme" }, CancellationToken.None);
            Assert.That(stored.Total, Is.Zero);
        });
    }

    [Test]
    public async Task Create_CompressedBodyTheHostDecompresses_IsRead()
    {
        await using var host = await KestrelHost.StartAsync(
            static services =>
            {
                services.AddRequestDecompression();
                services.AddWebhooks(static o => o.DefaultVerificationMode = VerificationMode.None).UseInMemoryStore();
            },
            static app =>
            {
                app.UseRequestDecompression();
                app.MapWebhooks("/webhooks");
            });
        using var content = Gzipped("""{"url":"https://example.com/h","eventTypes":["a.b"]}""");

        using var response = await host.Client.SendAsync(Http.Request(HttpMethod.Post, "/webhooks", content: content));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
    }

    [TestCase("PUT", "", new[] { "GET", "POST" })]
    [TestCase("POST", "/{id}", new[] { "GET", "PATCH", "DELETE" })]
    [TestCase("GET", "/{id}/test", new[] { "POST" })]
    [TestCase("DELETE", "/{id}/messages", new[] { "GET" })]
    [TestCase("PATCH", "/{id}/messages/msg_1/retry", new[] { "POST" })]
    public async Task MethodARouteDoesNotTake_Returns405ProblemWithAllowAndChangesNothing(string method, string route, string[] allowed)
    {
        await using var host = await StartEngineAsync();
        var id = await CreateAsync(host.Client);

        using var response = await host.Client.SendAsync(Http.Request(new HttpMethod(method), "/webhooks" + route.Replace("{id}", id, StringComparison.Ordinal), "acme", Http.Json("{}")));

        var problem = await response.ReadProblemAsync(405);
        Assert.Multiple(async () =>
        {
            Assert.That(response.Content.Headers.Allow, Is.EquivalentTo(allowed));
            Assert.That(problem["allowedMethods"]!.AsArray().Select(m => (string)m!), Is.EquivalentTo(allowed));
            Assert.That((string?)problem["detail"], Does.Contain($"does not take {method}").And.Contain(allowed[0]));
            using var get = await host.Client.SendAsync(Http.Request(HttpMethod.Get, $"/webhooks/{id}", "acme"));
            Assert.That(get.Headers.ETag?.Tag, Is.EqualTo("\"1\""), "the webhook must be unchanged");
        });
    }

    // HEAD has no body: the answer is the 405 and its headers alone, not a failure writing the problem.
    [Test]
    public async Task Head_ToAnApiRoute_Returns405WithAllowAndNoBody()
    {
        await using var host = await StartEngineAsync();

        using var response = await host.Client.SendAsync(Http.Request(HttpMethod.Head, "/webhooks", "acme"));

        Assert.That((int)response.StatusCode, Is.EqualTo(405));
        Assert.That(response.Content.Headers.Allow, Is.EquivalentTo(new[] { "GET", "POST" }));
        Assert.That(await response.Content.ReadAsByteArrayAsync(), Is.Empty);
    }

    [Test]
    public async Task MethodTheHostMapsAtAnApiRoute_ReachesTheHostAndIsAllowed()
    {
        await using var host = await KestrelHost.StartAsync(
            services => services.AddWebhooks().UseInMemoryStore(),
            app =>
            {
                app.MapWebhooks("/webhooks");
                app.MapPut("/webhooks/{id}", () => TypedResults.Text("the host's"));
            });

        using var put = await host.Client.PutAsync("/webhooks/wh_1", Http.Json("{}"));
        using var post = await host.Client.PostAsync("/webhooks/wh_1", Http.Json("{}"));

        Assert.That(await put.Content.ReadAsStringAsync(), Is.EqualTo("the host's"));
        await post.ReadProblemAsync(405);
        Assert.That(post.Content.Headers.Allow, Is.EquivalentTo(new[] { "GET", "PATCH", "DELETE", "PUT" }));
    }

    // The routes that answer other methods with the API's 405 take every method, OPTIONS too: a host's CORS policy on
    // the API still answers preflights.
    [Test]
    public async Task CorsPreflight_ToAnApiRouteWithTheHostsPolicy_IsAnswered()
    {
        await using var host = await KestrelHost.StartAsync(
            services =>
            {
                services.AddCors(o => o.AddPolicy("admin", p => p.WithOrigins("https://admin.example.com").WithMethods("PATCH")));
                services.AddWebhooks().UseInMemoryStore();
            },
            app =>
            {
                app.UseCors();
                app.MapWebhooks("/webhooks").RequireCors("admin");
            });
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/webhooks/wh_1");
        preflight.Headers.Add("Origin", "https://admin.example.com");
        preflight.Headers.Add("Access-Control-Request-Method", "PATCH");

        using var response = await host.Client.SendAsync(preflight);

        Assert.That((int)response.StatusCode, Is.EqualTo(204), await response.Content.ReadAsStringAsync());
        Assert.That(response.Headers.GetValues("Access-Control-Allow-Methods"), Does.Contain("PATCH"));
    }
}
