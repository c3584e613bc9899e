using System.Globalization;

namespace Webhooks.Core.Testing;

/// <summary>How a <see cref="TestWebhookReceiver"/> answers a request. Adjust the built-in answers with <c>with</c>.</summary>
public sealed record ReceiverAnswer
{
    /// <summary>Gets the status code. The default value is 200.</summary>
    public int StatusCode { get; init; } = 200;

    /// <summary>Gets the response body, or <see langword="null"/> for none. The default value is <see langword="null"/>.</summary>
    public string? Body { get; init; }

    /// <summary>Gets the response headers, for example <c>Retry-After</c> or <c>Location</c>. The default value is empty.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// Gets how long the receiver waits before answering, for example to make the sender time out. The wait ends early
    /// when the sender gives up or the receiver is disposed; <see cref="Timeout.InfiniteTimeSpan"/> (or any delay longer than a timer
    /// allows) waits only for that. The default value is <see cref="TimeSpan.Zero"/>.
    /// </summary>
    public TimeSpan Delay { get; init; }

    /// <summary>
    /// Gets a value indicating whether the receiver aborts the connection instead of answering (after <see cref="Delay"/>).
    /// The default value is <see langword="false"/>.
    /// </summary>
    public bool CloseConnection { get; init; }

    /// <summary>Gets an empty <c>200 OK</c> answer.</summary>
    public static ReceiverAnswer Ok { get; } = new();

    /// <summary>Returns an empty answer with the given status code.</summary>
    /// <param name="statusCode">The status code, for example 410.</param>
    public static ReceiverAnswer Status(int statusCode) => new() { StatusCode = statusCode };

    /// <summary>Returns an answer with a JSON body (<c>content-type: application/json</c>).</summary>
    /// <param name="json">The body.</param>
    /// <param name="statusCode">The status code. The default value is 200.</param>
    public static ReceiverAnswer Json(string json, int statusCode = 200) =>
        new() { StatusCode = statusCode, Body = json, Headers = Header("Content-Type", "application/json") };

    /// <summary>Returns an answer asking the sender to come back later, with <c>Retry-After</c> in seconds.</summary>
    /// <param name="statusCode">The status code, usually 429 or 503.</param>
    /// <param name="delay">The delay, rounded down to whole seconds.</param>
    public static ReceiverAnswer RetryAfter(int statusCode, TimeSpan delay) =>
        new() { StatusCode = statusCode, Headers = Header("Retry-After", ((long)delay.TotalSeconds).ToString(CultureInfo.InvariantCulture)) };

    /// <summary>Returns an answer asking the sender to come back at a given time, with <c>Retry-After</c> as an HTTP date.</summary>
    /// <param name="statusCode">The status code, usually 429 or 503.</param>
    /// <param name="date">The time, sent with a precision of one second.</param>
    public static ReceiverAnswer RetryAfter(int statusCode, DateTimeOffset date) =>
        new() { StatusCode = statusCode, Headers = Header("Retry-After", date.ToUniversalTime().ToString("R", CultureInfo.InvariantCulture)) };

    /// <summary>Returns a redirect to <paramref name="location"/>.</summary>
    /// <param name="location">The <c>Location</c> header.</param>
    /// <param name="statusCode">The status code, for example 301, 302, 307 or 308. The default value is 302.</param>
    public static ReceiverAnswer Redirect(string location, int statusCode = 302) =>
        new() { StatusCode = statusCode, Headers = Header("Location", location) };

    private static Dictionary<string, string> Header(string name, string value) =>
        new(StringComparer.OrdinalIgnoreCase) { [name] = value };
}
