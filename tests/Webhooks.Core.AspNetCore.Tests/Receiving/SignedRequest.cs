using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Webhooks.Core.AspNetCore.Tests.Receiving;

/// <summary>Builds Standard Webhooks requests, signed here independently of the library's signer.</summary>
internal static class SignedRequest
{
    public const string Secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    public static string Sign(string secret, string id, long timestamp, string body)
    {
        var key = Convert.FromBase64String(secret["whsec_".Length..]);
        var signed = Encoding.UTF8.GetBytes($"{id}.{timestamp.ToString(CultureInfo.InvariantCulture)}.{body}");
        return "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, signed));
    }

    public static HttpRequestMessage Create(string path, string id, long timestamp, string body, string signatureHeader)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("webhook-id", id);
        request.Headers.Add("webhook-timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.TryAddWithoutValidation("webhook-signature", signatureHeader);
        return request;
    }

    public static HttpRequestMessage Create(string path, string id, DateTimeOffset time, string body, string secret = Secret)
    {
        var timestamp = time.ToUnixTimeSeconds();
        return Create(path, id, timestamp, body, Sign(secret, id, timestamp, body));
    }

    /// <summary>Sends one signed delivery, then the very same request again (a replay).</summary>
    public static async Task<(HttpResponseMessage First, HttpResponseMessage Replay)> SendTwiceAsync(HttpClient client, string path, string id, DateTimeOffset time, string body)
    {
        var timestamp = time.ToUnixTimeSeconds();
        var signature = Sign(Secret, id, timestamp, body);
        var first = await client.SendAsync(Create(path, id, timestamp, body, signature));
        return (first, await client.SendAsync(Create(path, id, timestamp, body, signature)));
    }
}
