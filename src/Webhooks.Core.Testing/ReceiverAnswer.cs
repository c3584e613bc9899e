using System.Globalization;

namespace Webhooks.Core.Testing;

/// <summary>How a <see cref="TestWebhookReceiver"/> answers a request. Adjust the built-in answers with <c>with</c>.</summary>
public sealed record ReceiverAnswer
{
    private readonly int _statusCode = 200;
    private readonly IReadOnlyDictionary<string, string> _headers = new Dictionary<string, string>();
    private readonly TimeSpan _delay;

    /// <summary>Gets the status code, from 200 to 999 (a 1xx answer is not final: the sender would wait on). The default value is 200.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside 200–999.</exception>
    public int StatusCode
    {
        get => _statusCode;
        init => _statusCode = FinalStatusCode(value, nameof(StatusCode));
    }

    /// <summary>Gets the response body, or <see langword="null"/> for none. The default value is <see langword="null"/>.</summary>
    public string? Body { get; init; }

    /// <summary>Gets the response headers, for example <c>Retry-After</c> or <c>Location</c>. The default value is empty.</summary>
    public IReadOnlyDictionary<string, string> Headers
    {
        get => _headers;
        init => _headers = value ?? throw new ArgumentNullException(nameof(Headers));
    }

    /// <summary>
    /// Gets how long the receiver waits before answering, for example to make the sender time out. The wait ends early
    /// when the sender gives up or the receiver is disposed; <see cref="Timeout.InfiniteTimeSpan"/> (or any delay longer than a timer
    /// allows) waits only for that. The default value is <see cref="TimeSpan.Zero"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative and not <see cref="Timeout.InfiniteTimeSpan"/>.</exception>
    public TimeSpan Delay
    {
        get => _delay;
        init => _delay = value >= TimeSpan.Zero || value == Timeout.InfiniteTimeSpan
            ? value
            : throw new ArgumentOutOfRangeException(nameof(Delay), value, "The delay must be zero, positive or Timeout.InfiniteTimeSpan.");
    }

    /// <summary>
    /// Gets a value indicating whether the receiver aborts the connection instead of answering (after <see cref="Delay"/>).
    /// The default value is <see langword="false"/>.
    /// </summary>
    public bool CloseConnection { get; init; }

    /// <summary>Gets an empty <c>200 OK</c> answer.</summary>
    public static ReceiverAnswer Ok { get; } = new();

    /// <summary>Returns an empty answer with the given status code.</summary>
    /// <param name="statusCode">The status code, for example 410: from 200 to 999.</param>
    public static ReceiverAnswer Status(int statusCode) => new() { StatusCode = FinalStatusCode(statusCode, nameof(statusCode)) };

    /// <summary>Returns an answer with a JSON body (<c>content-type: application/json</c>).</summary>
    /// <param name="json">The body.</param>
    /// <param name="statusCode">The status code, from 200 to 999. The default value is 200.</param>
    public static ReceiverAnswer Json(string json, int statusCode = 200)
    {
        ArgumentNullException.ThrowIfNull(json);
        return Status(statusCode) with { Body = json, Headers = Header("Content-Type", "application/json") };
    }

    /// <summary>Returns an answer asking the sender to come back later, with <c>Retry-After</c> in seconds.</summary>
    /// <param name="statusCode">The status code, usually 429 or 503.</param>
    /// <param name="delay">The delay, not negative, rounded down to whole seconds.</param>
    public static ReceiverAnswer RetryAfter(int statusCode, TimeSpan delay)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero);
        return Status(statusCode) with { Headers = Header("Retry-After", ((long)delay.TotalSeconds).ToString(CultureInfo.InvariantCulture)) };
    }

    /// <summary>Returns an answer asking the sender to come back at a given time, with <c>Retry-After</c> as an HTTP date.</summary>
    /// <param name="statusCode">The status code, usually 429 or 503.</param>
    /// <param name="date">The time, sent with a precision of one second.</param>
    public static ReceiverAnswer RetryAfter(int statusCode, DateTimeOffset date) =>
        Status(statusCode) with { Headers = Header("Retry-After", date.ToUniversalTime().ToString("R", CultureInfo.InvariantCulture)) };

    /// <summary>Returns a redirect to <paramref name="location"/>.</summary>
    /// <param name="location">The <c>Location</c> header, not empty.</param>
    /// <param name="statusCode">The status code, from 300 to 399, for example 301, 302, 307 or 308. The default value is 302.</param>
    public static ReceiverAnswer Redirect(string location, int statusCode = 302)
    {
        ArgumentException.ThrowIfNullOrEmpty(location);
        if (statusCode is < 300 or > 399)
        {
            throw new ArgumentOutOfRangeException(nameof(statusCode), statusCode, "A redirect's status code must be from 300 to 399.");
        }

        return new() { StatusCode = statusCode, Headers = Header("Location", location) };
    }

    private static int FinalStatusCode(int value, string paramName) => value is >= 200 and <= 999
        ? value
        : throw new ArgumentOutOfRangeException(paramName, value, "The status code must be from 200 to 999: a 1xx answer is not final, and a status code has three digits.");

    private static Dictionary<string, string> Header(string name, string value) =>
        new(StringComparer.OrdinalIgnoreCase) { [name] = value };
}
