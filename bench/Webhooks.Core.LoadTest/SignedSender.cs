using System.Net.Http.Headers;

namespace Webhooks.Core.LoadTest;

/// <summary>
/// What the reference sides share: one pooled client, and each body signed as the engine signs it, with ids as long as
/// its message ids and its User-Agent: the same requests, header for header.
/// </summary>
internal sealed class SignedSender(CountingReceiver receiver, int concurrency)
{
    private static readonly StandardWebhooksSigner Signer = new();
    private static readonly WebhookSecret[] Secrets = [WebhookSecret.Generate(DateTimeOffset.UtcNow)];

    // The engine's own User-Agent, so that the reference requests carry the same headers as its deliveries.
    private static readonly string UserAgent = new HttpDeliveryOptions().UserAgent;

    public HttpClient Client { get; } = new(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency, AllowAutoRedirect = false, UseCookies = false });

    /// <summary>Signs one body into a request; <paramref name="headers"/> is the caller's scratch list, reused per worker.</summary>
    public HttpRequestMessage CreateRequest(string messageId, byte[] body, List<KeyValuePair<string, string>> headers)
    {
        Sign(messageId, body, headers);
        var request = new HttpRequestMessage(HttpMethod.Post, receiver.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation("user-agent", UserAgent);
        foreach (var header in headers)
        {
            request.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        return request;
    }

    /// <summary>The id of the <paramref name="sequence"/>th request: as long as the engine's message ids (<c>msg_</c> and 32 hex digits).</summary>
    public static string MessageId(int sequence) => $"msg_{sequence:x32}";

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
