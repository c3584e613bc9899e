using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;

namespace Webhooks.Core.AspNetCore.Internal;

/// <summary>Reads a request body as one JSON object, answering problems for a wrong media type, bad JSON or another JSON value.</summary>
internal static class JsonBody
{
    /// <summary>The media type of a JSON merge patch (RFC 7396), the one patch format the API takes.</summary>
    public const string MergePatch = "application/merge-patch+json";

    private static readonly JsonDocumentOptions _options = new() { MaxDepth = 32 };

    private static bool IsJsonPatch(MediaTypeHeaderValue type) =>
        type.MediaType.Equals("application/json-patch+json", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Finds the charset the content type names: <see langword="false"/> when it names one .NET does not know or decode;
    /// otherwise <paramref name="encoding"/> is <see langword="null"/> for UTF-8 (or no charset).
    /// </summary>
    private static bool TryGetEncoding(MediaTypeHeaderValue type, out Encoding? encoding, out string charset)
    {
        encoding = null;
        charset = string.Empty;
        if (HeaderUtilities.RemoveQuotes(type.Charset) is not { Length: > 0 } name)
        {
            return true;
        }

        charset = name.ToString();
        try
        {
            var named = Encoding.GetEncoding(charset);
            encoding = named.CodePage == Encoding.UTF8.CodePage ? null : named;
            return true;
        }
        catch (Exception exception) when (exception is ArgumentException or NotSupportedException)
        {
            // NotSupportedException: a charset .NET knows but will not decode, UTF-7 (SYSLIB0001).
            return false;
        }
    }

    /// <summary>Answers a body of another media type than <paramref name="mediaType"/> with 415.</summary>
    /// <param name="context">The request's context.</param>
    /// <param name="mediaType">The media type the route takes.</param>
    public static IResult RefuseMediaType(HttpContext context, string mediaType)
    {
        if (mediaType == MergePatch)
        {
            // RFC 5789 §2.2: an unsupported patch document is answered 415 with the patch formats that are.
            context.Response.Headers["Accept-Patch"] = MergePatch;
        }

        return ApiProblems.UnsupportedMediaType(mediaType);
    }

    /// <summary>Reads the body; exactly one of the results is set. The caller disposes the document.</summary>
    /// <param name="request">The request.</param>
    /// <param name="mediaType">The media type named in the 415 problem.</param>
    /// <param name="cancellationToken">A token to cancel the read.</param>
    public static async Task<(JsonDocument? Document, IResult? Problem)> ReadObjectAsync(HttpRequest request, string mediaType, CancellationToken cancellationToken)
    {
        // application/json and every application/*+json, so application/merge-patch+json too; but not a JSON Patch
        // (RFC 6902), a list of operations, which a merge patch is not.
        // Parsed once for the checks below; a content type HasJsonContentType takes always parses.
        if (!request.HasJsonContentType() || !MediaTypeHeaderValue.TryParse(request.ContentType, out var type) || IsJsonPatch(type))
        {
            return (null, RefuseMediaType(request.HttpContext, mediaType));
        }

        // A host's request decompression removes the header once it decodes the body: one still there is a coding
        // nothing here decodes, and its bytes would be judged as broken JSON.
        if (request.Headers.ContentEncoding.ToString().Trim() is { Length: > 0 } coding && !string.Equals(coding, "identity", StringComparison.OrdinalIgnoreCase))
        {
            // RFC 7694 §3: the codings this resource takes.
            request.HttpContext.Response.Headers.AcceptEncoding = "identity";
            return (null, ApiProblems.UnsupportedContentEncoding(coding));
        }

        if (request.ContentLength == 0)
        {
            return (null, ApiProblems.Validation("body", "A JSON object is required."));
        }

        if (!TryGetEncoding(type, out var encoding, out var charset))
        {
            return (null, ApiProblems.UnsupportedCharset(mediaType, charset));
        }

        JsonDocument document;
        // The parser reads UTF-8 only: a body in another charset its content type names (as ASP.NET Core's own JSON
        // binding reads it) is transcoded, rather than refused with an error about its bytes.
        var body = encoding is null ? request.Body : Encoding.CreateTranscodingStream(request.Body, encoding, Encoding.UTF8, leaveOpen: true);
        try
        {
            document = await JsonDocument.ParseAsync(body, _options, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException exception)
        {
            return (null, ApiProblems.MalformedJson(exception));
        }
        catch (BadHttpRequestException exception)
        {
            // The server refused the body as it was read (over its size limit, too slow, cut short): left to the server,
            // that is a bare status and an unhandled-exception error in the host's log for a client's mistake.
            return (null, ApiProblems.BodyRefused(exception, request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize));
        }
        finally
        {
            if (encoding is not null)
            {
                await body.DisposeAsync().ConfigureAwait(false);
            }
        }

        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            document.Dispose();
            return (null, ApiProblems.Validation("body", "The body must be a JSON object."));
        }

        if (JsonText.FindUndecodable(document.RootElement) is { } field)
        {
            document.Dispose();
            return (null, ApiProblems.Validation(field, "The text is not valid Unicode: a lone surrogate escape such as \\ud800, or bytes that are not UTF-8."));
        }

        return (document, null);
    }
}
