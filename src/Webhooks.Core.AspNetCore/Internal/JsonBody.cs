using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Webhooks.Core.AspNetCore.Internal;

/// <summary>Reads a request body as one JSON object, answering problems for a wrong media type, bad JSON or another JSON value.</summary>
internal static class JsonBody
{
    /// <summary>The media type of a JSON merge patch (RFC 7396), the one patch format the API takes.</summary>
    public const string MergePatch = "application/merge-patch+json";

    private static readonly JsonDocumentOptions _options = new() { MaxDepth = 32 };

    private static bool IsJsonPatch(HttpRequest request) =>
        Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(request.ContentType, out var type)
        && type.MediaType.Equals("application/json-patch+json", StringComparison.OrdinalIgnoreCase);

    /// <summary>Reads the body; exactly one of the results is set. The caller disposes the document.</summary>
    /// <param name="request">The request.</param>
    /// <param name="mediaType">The media type named in the 415 problem.</param>
    /// <param name="cancellationToken">A token to cancel the read.</param>
    public static async Task<(JsonDocument? Document, IResult? Problem)> ReadObjectAsync(HttpRequest request, string mediaType, CancellationToken cancellationToken)
    {
        // application/json and every application/*+json, so application/merge-patch+json too; but not a JSON Patch
        // (RFC 6902), a list of operations, which a merge patch is not.
        if (!request.HasJsonContentType() || IsJsonPatch(request))
        {
            if (mediaType == MergePatch)
            {
                // RFC 5789 §2.2: an unsupported patch document is answered 415 with the patch formats that are.
                request.HttpContext.Response.Headers["Accept-Patch"] = MergePatch;
            }

            return (null, ApiProblems.UnsupportedMediaType(mediaType));
        }

        if (request.ContentLength == 0)
        {
            return (null, ApiProblems.Validation("body", "A JSON object is required."));
        }

        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(request.Body, _options, cancellationToken).ConfigureAwait(false);
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
