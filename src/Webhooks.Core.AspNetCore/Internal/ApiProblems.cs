using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Webhooks.Core.AspNetCore.Internal;

/// <summary>The RFC 7807 problem details the API answers with.</summary>
internal static class ApiProblems
{
    /// <summary>The most problems one answer lists: a request with many bad entries gets an answer of bounded size.</summary>
    internal const int MaxListedProblems = 20;

    public static IResult Validation(IEnumerable<ValidationProblem> problems, string? detail = null)
    {
        var all = problems as IReadOnlyCollection<ValidationProblem> ?? [.. problems];
        var errors = all
            .Take(MaxListedProblems)
            .GroupBy(static p => p.Field, StringComparer.Ordinal)
            .ToDictionary(static g => g.Key, static g => g.Select(static p => p.Message).ToArray(), StringComparer.Ordinal);
        var more = all.Count - MaxListedProblems;
        return TypedResults.ValidationProblem(
            errors,
            detail: detail ?? string.Join(" ", errors.Select(static e => $"{e.Key}: {string.Join(" ", e.Value)}"))
                + (more > 0 ? $" And {more} more problems." : string.Empty),
            title: "The request is invalid.");
    }

    /// <summary>Returns the problem for a deliberate error of the library, or <see langword="null"/> for an unknown kind.</summary>
    public static IResult? For(WebhookException exception) => exception switch
    {
        WebhookValidationException validation => Validation(validation.Problems),
        WebhookNotFoundException => NotFound(exception.Message),
        WebhookConcurrencyException or WebhookConflictException or InvalidTransitionException => Conflict(exception.Message),
        WebhookRateLimitedException limited => RateLimited(limited.Message, limited.RetryAt),
        _ => null,
    };

    public static IResult Validation(string field, string message) => Validation([new ValidationProblem(field, message)]);

    public static IResult MalformedJson(JsonException exception)
    {
        // JsonException.Path is "$" or "$.field"; name the field the way validation errors do.
        var field = exception.Path is { Length: > 2 } path && path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : "body";
        var where = exception.LineNumber is { } line && exception.BytePositionInLine is { } position
            ? $" at line {line + 1}, position {position + 1}"
            : string.Empty;
        var detail = $"The body is not valid JSON{where}: {FirstSentence(exception.Message)}";
        return TypedResults.Problem(
            detail: detail,
            statusCode: StatusCodes.Status400BadRequest,
            title: "The request body is not valid JSON.",
            extensions: new Dictionary<string, object?>
            {
                ["errors"] = new Dictionary<string, string[]> { [field] = [detail] },
                ["line"] = exception.LineNumber + 1,
                ["position"] = exception.BytePositionInLine + 1,
            });
    }

    /// <summary>The server's refusal of the body while it was read, as a problem of the same status.</summary>
    public static IResult BodyRefused(BadHttpRequestException exception, long? maxBodySize) =>
        exception.StatusCode == StatusCodes.Status413PayloadTooLarge
            ? TypedResults.Problem(
                detail: maxBodySize is { } limit ? $"The body is larger than the {limit} bytes this server accepts." : "The body is larger than this server accepts.",
                statusCode: StatusCodes.Status413PayloadTooLarge,
                title: "The request body is too large.")
            : TypedResults.Problem(detail: exception.Message, statusCode: exception.StatusCode, title: "The request body could not be read.");

    public static IResult WebhookNotFound(string id) =>
        NotFound($"There is no webhook '{id}'.");

    public static IResult MessageNotFound(string webhookId, string messageId) =>
        NotFound($"Webhook '{webhookId}' has no message '{messageId}'.");

    public static IResult NotFound(string detail) =>
        TypedResults.Problem(detail: detail, statusCode: StatusCodes.Status404NotFound, title: "Not found.");

    public static IResult PreconditionFailed(string detail) =>
        TypedResults.Problem(detail: detail, statusCode: StatusCodes.Status412PreconditionFailed, title: "Precondition failed.");

    public static IResult Conflict(string detail) =>
        TypedResults.Problem(detail: detail, statusCode: StatusCodes.Status409Conflict, title: "Conflict.");

    /// <summary>
    /// A 409 for an action the message's status does not allow, in the API's status names, with the status as
    /// <c>messageStatus</c> and the statuses the action is allowed from as <c>allowedStatuses</c>.
    /// </summary>
    /// <remarks>Not <c>status</c>: RFC 7807 gives that member to the HTTP status code.</remarks>
    public static IResult MessageStatusConflict(string messageId, string action, MessageStatus status, IReadOnlyList<MessageStatus> allowed)
    {
        var current = ApiEnum<MessageStatus>.Format(status);
        var from = allowed.Select(ApiEnum<MessageStatus>.Format).ToArray();
        return TypedResults.Problem(
            detail: $"Message '{messageId}' is {current}: {action} is allowed only from {string.Join(" or ", from)}.",
            statusCode: StatusCodes.Status409Conflict,
            title: "Conflict.",
            extensions: new Dictionary<string, object?> { ["messageStatus"] = current, ["allowedStatuses"] = from });
    }

    /// <summary>A 429, with <c>Retry-After</c> (an HTTP date) and <c>retryAt</c> when the time it is allowed again is known.</summary>
    public static IResult RateLimited(string detail, DateTimeOffset? retryAt = null)
    {
        var problem = TypedResults.Problem(
            detail: detail,
            statusCode: StatusCodes.Status429TooManyRequests,
            title: "Too many requests.",
            type: "https://tools.ietf.org/html/rfc6585#section-4",
            extensions: retryAt is { } at ? new Dictionary<string, object?> { ["retryAt"] = at.ToUniversalTime() } : null);
        return retryAt is { } again ? new WithRetryAfter(problem, again) : problem;
    }

    /// <summary>A 405 naming the methods the route takes, as <c>allowedMethods</c> too; the caller sets <c>Allow</c>.</summary>
    public static IResult MethodNotAllowed(string method, IReadOnlyList<string> allowed) =>
        TypedResults.Problem(
            detail: $"This route does not take {Shorten(method)}; it takes {string.Join(" or ", allowed)}.",
            statusCode: StatusCodes.Status405MethodNotAllowed,
            title: "Method not allowed.",
            extensions: new Dictionary<string, object?> { ["allowedMethods"] = allowed });

    public static IResult UnsupportedMediaType(string expected) =>
        TypedResults.Problem(
            detail: $"The body must be sent as {expected}.",
            statusCode: StatusCodes.Status415UnsupportedMediaType,
            title: "Unsupported media type.");

    public static IResult UnsupportedCharset(string expected, string charset) =>
        TypedResults.Problem(
            detail: $"The body must be sent as {expected}: the charset '{Shorten(charset)}' is not supported; send UTF-8.",
            statusCode: StatusCodes.Status415UnsupportedMediaType,
            title: "Unsupported media type.");

    public static IResult UnsupportedContentEncoding(string coding) =>
        TypedResults.Problem(
            detail: $"The body is sent with Content-Encoding '{Shorten(coding)}', which this server does not decode; send it uncompressed.",
            statusCode: StatusCodes.Status415UnsupportedMediaType,
            title: "Unsupported media type.");

    // A header value echoed in an answer is cut short, so that a long one does not make the answer long.
    private static string Shorten(string text) => text.Length > 40 ? text[..40] + "…" : text;

    private static string FirstSentence(string message)
    {
        // STJ appends " Path: $ | LineNumber: 0 | BytePositionInLine: 3." (or only the line and position), which the
        // detail already says better, counted from one.
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        if (cut < 0)
        {
            cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        }

        return cut > 0 ? message[..cut] : message;
    }

    private sealed class WithRetryAfter(IResult problem, DateTimeOffset retryAt) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.RetryAfter = retryAt.ToUniversalTime().ToString("r", System.Globalization.CultureInfo.InvariantCulture);
            return problem.ExecuteAsync(httpContext);
        }
    }
}
