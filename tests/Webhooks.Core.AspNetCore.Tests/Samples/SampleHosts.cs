using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Webhooks.Samples.Api;
using Webhooks.Samples.Receiver;

namespace Webhooks.Core.AspNetCore.Tests.Samples;

/// <summary>The two samples on Kestrel, in-process: the API host (real engine, in memory) and the receiver.</summary>
internal sealed class SampleHosts : IAsyncDisposable
{
    public const string HpeChallengeHeader = "x-compute-ops-mgmt-verification-challenge";

    private SampleHosts(KestrelHost api, KestrelHost receiver)
    {
        Api = api;
        Receiver = receiver;
    }

    public KestrelHost Api { get; }

    public KestrelHost Receiver { get; }

    public ReceivedEvents Received => Receiver.App.Services.GetRequiredService<ReceivedEvents>();

    public string ReceiverUrl => new Uri(Receiver.Address, "/hooks").ToString();

    /// <summary>Starts both samples; <paramref name="apiArgs"/> are added to the API's command line.</summary>
    public static async Task<SampleHosts> StartAsync(params string[] apiArgs)
    {
        string[] quiet = ["--urls", "http://127.0.0.1:0", "--Logging:LogLevel:Default=Warning"];
        var receiver = await KestrelHost.StartAsync(SampleReceiver.Build([.. quiet, $"--Receiver:ChallengeHeaderName={HpeChallengeHeader}"]));

        // Retries far apart, so that only the retry the test asks for delivers.
        var api = await KestrelHost.StartAsync(SampleApi.Build([.. quiet, $"--Webhooks:ChallengeHeaderName={HpeChallengeHeader}", "--Webhooks:RetryBaseDelay=00:10:00", .. apiArgs]));
        return new SampleHosts(api, receiver);
    }

    /// <summary>Sets the secret the receiver verifies with, as an operator would in its configuration.</summary>
    public void SetReceiverSecret(string secret) => Receiver.App.Configuration["Receiver:Secret"] = secret;

    public async Task<JsonNode> SendAsync(HttpMethod method, string uri, string tenant, HttpContent? content = null, int expectedStatus = 200)
    {
        using var response = await Api.Client.SendAsync(Http.Request(method, uri, tenant, content));
        var text = await response.Content.ReadAsStringAsync();
        Assert.That((int)response.StatusCode, Is.EqualTo(expectedStatus), $"{method} {uri}: {text}");
        return text.Length == 0 ? new JsonObject() : JsonNode.Parse(text)!;
    }

    public async Task<JsonNode> CreateWebhookAsync(string tenant, string verificationMode = "NONE", string url = "")
    {
        var body = new JsonObject
        {
            ["name"] = "Orders",
            ["url"] = url.Length > 0 ? url : ReceiverUrl,
            ["eventTypes"] = new JsonArray("order.*"),
            ["verificationMode"] = verificationMode,
        };
        return await SendAsync(HttpMethod.Post, "/webhooks", tenant, Http.Json(body.ToJsonString()), 201);
    }

    public async ValueTask DisposeAsync()
    {
        await Api.DisposeAsync();
        await Receiver.DisposeAsync();
    }
}
