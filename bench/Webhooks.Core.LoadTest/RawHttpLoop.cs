using System.Diagnostics;
using System.Net.Http.Headers;

namespace Webhooks.Core.LoadTest;

/// <summary>The baseline: the same signed requests sent by a bare HttpClient loop with the same concurrency.</summary>
internal sealed class RawHttpLoop(CountingReceiver receiver, int concurrency)
{
    private readonly HttpClient _client = new(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency, AllowAutoRedirect = false, UseCookies = false });
    private readonly StandardWebhooksSigner _signer = new();
    private readonly WebhookSecret[] _secrets = [WebhookSecret.Generate(DateTimeOffset.UtcNow)];
    private readonly byte[] _body = Payloads.OrderBody(0);

    public async Task<double> RunAsync(int count)
    {
        var next = -1;
        var started = Stopwatch.GetTimestamp();
        var workers = Enumerable.Range(0, concurrency).Select(async _ =>
        {
            var headers = new List<KeyValuePair<string, string>>(3);
            while (Interlocked.Increment(ref next) < count)
            {
                headers.Clear();
                _signer.AddSignatureHeaders("msg_" + next, DateTimeOffset.UtcNow, _body, _secrets, headers);
                using var request = new HttpRequestMessage(HttpMethod.Post, receiver.Url) { Content = new ByteArrayContent(_body) };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                foreach (var header in headers)
                {
                    request.Headers.TryAddWithoutValidation(header.Key, header.Value);
                }

                using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
                if (!response.IsSuccessStatusCode)
                {
                    throw new InvalidOperationException($"The receiver answered {response.StatusCode}.");
                }
            }
        });
        await Task.WhenAll(workers);
        return count / Stopwatch.GetElapsedTime(started).TotalSeconds;
    }
}
