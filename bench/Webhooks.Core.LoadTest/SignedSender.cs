using System.Net.Http.Headers;

namespace Webhooks.Core.LoadTest;

/// <summary>What the reference sides share: one pooled client, and each body signed as the engine signs it.</summary>
internal sealed class SignedSender(CountingReceiver receiver, int concurrency)
{
    private static readonly StandardWebhooksSigner Signer = new();
    private static readonly WebhookSecret[] Secrets = [WebhookSecret.Generate(DateTimeOffset.UtcNow)];

    public HttpClient Client { get; } = new(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency, AllowAutoRedirect = false, UseCookies = false });

    /// <summary>Signs one body into a request; <paramref name="headers"/> is the caller's scratch list, reused per worker.</summary>
    public HttpRequestMessage CreateRequest(string messageId, byte[] body, List<KeyValuePair<string, string>> headers)
    {
        Sign(messageId, body, headers);
        var request = new HttpRequestMessage(HttpMethod.Post, receiver.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        foreach (var header in headers)
        {
            request.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        return request;
    }

    /// <summary>Replaces <paramref name="headers"/> with the signature headers of one body, signed as the engine signs it.</summary>
    public static void Sign(string messageId, byte[] body, List<KeyValuePair<string, string>> headers)
    {
        headers.Clear();
        Signer.AddSignatureHeaders(messageId, DateTimeOffset.UtcNow, body, Secrets, headers);
    }

    /// <summary>Throws unless the receiver answered 2xx.</summary>
    public static void EnsureDelivered(HttpResponseMessage response)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"The receiver answered {response.StatusCode}.");
        }
    }
}
