using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Webhooks.Core.AspNetCore.Internal;

/// <summary>The webhook generation as an HTTP entity tag: <c>ETag: "7"</c>, checked through <c>If-Match</c>.</summary>
internal static class EntityTag
{
    public static void Set(HttpResponse response, long generation) =>
        response.Headers.ETag = Format(generation);

    public static string Format(long generation) => $"\"{generation}\"";

    /// <summary>
    /// Reads <c>If-Match</c> (RFC 9110 §13.1.1): <see langword="false"/> when it is not a list of entity tags. Otherwise
    /// <paramref name="generations"/> is <see langword="null"/> when the header is absent or <c>*</c>, else the
    /// generations of its strong tags: a weak tag (<c>W/"3"</c>) never matches, and neither does a tag that names no
    /// generation as this type formats it (<c>"03"</c>).
    /// </summary>
    public static bool TryReadIfMatch(HttpRequest request, out IReadOnlyList<long>? generations)
    {
        generations = null;
        var values = request.Headers.IfMatch;
        if (values.Count == 0)
        {
            return true;
        }

        if (!EntityTagHeaderValue.TryParseList(values, out var tags) || tags.Count == 0)
        {
            return false;
        }

        if (tags.Any(static tag => tag.Equals(EntityTagHeaderValue.Any)))
        {
            return tags.Count == 1; // "*" stands alone.
        }

        var strong = new List<long>(tags.Count);
        foreach (var tag in tags)
        {
            var text = tag.Tag;
            // Strong comparison is character for character (RFC 9110 §8.8.3.2): "03" is not the tag "3".
            if (!tag.IsWeak && text.Length > 2
                && long.TryParse(text.AsSpan(1, text.Length - 2), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var generation)
                && text.Equals(Format(generation), StringComparison.Ordinal))
            {
                strong.Add(generation);
            }
        }

        generations = strong;
        return true;
    }
}
