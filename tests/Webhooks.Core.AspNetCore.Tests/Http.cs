using System.Text;
using System.Text.Json.Nodes;

namespace Webhooks.Core.AspNetCore.Tests;

/// <summary>Request and response helpers for tests that read the wire format as JSON.</summary>
internal static class Http
{
    public static StringContent Json(string json, string mediaType = "application/json") => new(json, Encoding.UTF8, mediaType);

    public static StringContent MergePatch(string json) => Json(json, "application/merge-patch+json");

    public static async Task<JsonNode> ReadJsonAsync(this HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync()) ?? throw new AssertionException("The body is JSON null.");

    public static async Task<JsonNode> ReadProblemAsync(this HttpResponseMessage response, int status)
    {
        Assert.That((int)response.StatusCode, Is.EqualTo(status), await response.Content.ReadAsStringAsync());
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        var problem = await response.ReadJsonAsync();
        Assert.That((int?)problem["status"], Is.EqualTo(status));
        return problem;
    }

    public static HttpRequestMessage Request(HttpMethod method, string uri, string? tenant = null, HttpContent? content = null)
    {
        var request = new HttpRequestMessage(method, uri) { Content = content };
        if (tenant is not null)
        {
            request.Headers.Add("X-Tenant", tenant);
        }

        return request;
    }

    /// <summary>Sets <c>If-Match</c> as written, so that a list or a malformed value reaches the server too.</summary>
    public static HttpRequestMessage IfMatch(this HttpRequestMessage request, string value)
    {
        request.Headers.TryAddWithoutValidation("If-Match", value);
        return request;
    }
}
