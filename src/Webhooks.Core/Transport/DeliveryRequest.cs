namespace Webhooks.Core;

/// <summary>One request to a webhook's endpoint: an event delivery (POST) or a handshake (GET).</summary>
public sealed record DeliveryRequest
{
    /// <summary>Gets the webhook the request is for.</summary>
    public required string WebhookId { get; init; }

    /// <summary>Gets the absolute URL.</summary>
    public required string Url { get; init; }

    /// <summary>Gets the HTTP method. The default value is <see cref="HttpMethod.Post"/>.</summary>
    public HttpMethod Method { get; init; } = HttpMethod.Post;

    /// <summary>Gets the body, sent as <c>application/json</c> when not empty.</summary>
    public ReadOnlyMemory<byte> Body { get; init; }

    /// <summary>Gets the request headers: signature headers first, then the webhook's custom headers.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];

    /// <summary>
    /// Gets how many bytes of the response body to read, or <see langword="null"/> for the transport's setting
    /// (<see cref="HttpDeliveryOptions.ResponseBodyLimit"/>). A handshake sets its own: its answer is read whatever the
    /// delivery log keeps.
    /// </summary>
    public int? ResponseBodyLimit { get; init; }
}
