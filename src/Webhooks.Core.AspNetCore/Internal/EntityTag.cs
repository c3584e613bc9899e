using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Webhooks.Core.AspNetCore.Internal;

/// <summary>The webhook generation as an HTTP entity tag: <c>ETag: "7"</c>, checked through <c>If-Match</c>.</summary>
internal static class EntityTag
{
    public static void Set(HttpResponse response, long generation) =>
        response.Headers.ETag = $"\"{generation}\"";

    /// <summary>Reads <c>If-Match</c>: <see langword="true"/> with a generation, or with <see langword="null"/> when absent or <c>*</c>.</summary>
    public static bool TryReadIfMatch(HttpRequest request, out long? generation)
    {
        generation = null;
        var values = request.Headers.IfMatch;
        if (values.Count == 0)
        {
            return true;
        }

        if (!EntityTagHeaderValue.TryParseList(values, out var tags) || tags.Count != 1)
        {
            return false;
        }

        if (tags[0].Equals(EntityTagHeaderValue.Any))
        {
            return true;
        }

        var tag = tags[0].Tag;
        if (tag.Length > 2 && long.TryParse(tag.AsSpan(1, tag.Length - 2), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value))
        {
            generation = value;
            return true;
        }

        return false;
    }
}
