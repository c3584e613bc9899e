namespace Webhooks.Core;

/// <content>The custom header rules.</content>
public sealed partial class WebhookValidator
{
    // Set by the library on every request (the trace context whenever the attempt is traced), or hop-by-hop headers
    // HTTP itself owns. Authorization stays allowed: receivers commonly authenticate with it.
    private static readonly string[] BuiltInReservedNames =
    [
        "content-type", "content-length", "host", "user-agent", "traceparent", "tracestate", "connection", "keep-alive",
        "te", "trailer", "transfer-encoding", "upgrade",
    ];

    // webhook-* covers the Standard Webhooks signature headers (webhook-id, webhook-timestamp, webhook-signature).
    private static readonly string[] BuiltInReservedPrefixes = ["webhook-", "proxy-"];

    private readonly HashSet<string> _reservedNames;
    private readonly string[] _reservedPrefixes;
    private readonly string _reservedDescription;

    private void CheckHeaders(IReadOnlyDictionary<string, string>? headers, List<ValidationProblem> problems)
    {
        if (headers is null)
        {
            return;
        }

        if (headers.Count > MaxHeaders)
        {
            // Checked before the entries, so that a huge list gets one problem rather than one per entry.
            problems.Add(new("headers", $"The webhook has {headers.Count} custom headers; at most {MaxHeaders} are allowed."));
            return;
        }


        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var oneTooLong = false;
        foreach (var (name, value) in headers)
        {
            if (string.IsNullOrEmpty(name))
            {
                problems.Add(new("headers", "A header name is empty; names are HTTP tokens such as 'X-Api-Key'."));
                continue;
            }

            string field = "headers." + name;
            if (name.Length > MaxHeaderNameLength)
            {
                oneTooLong = true;
                problems.Add(new("headers", $"A header name is {name.Length} characters long; at most {MaxHeaderNameLength} are allowed."));
                continue;
            }

            if (!IsToken(name))
            {
                problems.Add(new(field, $"The header name must be an HTTP token: {TokenCharacters}."));
            }
            else if (IsReserved(name))
            {
                problems.Add(new(field, $"The header '{name}' is reserved and cannot be set. Reserved: {_reservedDescription}."));
            }
            else if (!seen.Add(name))
            {
                problems.Add(new(field, "The header is given twice; header names are case-insensitive."));
            }

            if (value is null)
            {
                problems.Add(new(field, "The header value is required; an empty value is allowed."));
            }
            else if (value.Length > MaxHeaderValueLength)
            {
                oneTooLong = true;
                problems.Add(new(field, $"The header value is {value.Length} characters long; at most {MaxHeaderValueLength} are allowed."));
            }
            else if (IndexOfUnsendable(value) is var at and >= 0)
            {
                // HttpClient sends ASCII header values only; anything else would fail every delivery.
                problems.Add(new(field, $"The header value must be printable ASCII (tabs allowed); character {at + 1} is U+{(int)value[at]:X4}."));
            }
        }

        // All of them together, unless one alone is already too long (that problem says more).
        var total = headers.Sum(static h => (long)(h.Key?.Length ?? 0) + (h.Value?.Length ?? 0));
        if (!oneTooLong && total > MaxHeadersLength)
        {
            problems.Add(new("headers", $"The custom headers take {total} characters, names and values; at most {MaxHeadersLength} are allowed."));
        }
    }

    private static int IndexOfUnsendable(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] is not ('\t' or (>= ' ' and <= '~')))
            {
                return i;
            }
        }

        return -1;
    }

    private bool IsReserved(string name) => _reservedNames.Contains(name) || StartsWithAny(name, _reservedPrefixes);

    private static bool StartsWithAny(string name, string[] prefixes) =>
        prefixes.Any(prefix => name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase));

    /// <summary>What a header name may be made of, for messages.</summary>
    internal const string TokenCharacters = "letters, digits and ! # $ % & ' * + - . ^ _ ` | ~";

    // RFC 9110 §5.6.2: token = 1*tchar.
    internal static bool IsToken(string name)
    {
        foreach (char c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('!' or '#' or '$' or '%' or '&' or '\'' or '*' or '+' or '-' or '.' or '^' or '_' or '`' or '|' or '~'))
            {
                return false;
            }
        }

        return true;
    }

    private static (HashSet<string> Names, string[] Prefixes, string Description) ReservedHeaders(WebhooksOptions options, IEnumerable<string> signatureHeaderNames)
    {
        string[] prefixes = [.. BuiltInReservedPrefixes, .. options.ReservedHeaderPrefixes.Where(p => !string.IsNullOrEmpty(p))];
        List<string> names = [.. BuiltInReservedNames, .. signatureHeaderNames.Where(n => !string.IsNullOrEmpty(n))];
        if (!string.IsNullOrEmpty(options.ChallengeHeaderName))
        {
            names.Add(options.ChallengeHeaderName);
        }

        var described = prefixes.Select(p => p + "*")
            .Concat(names.Where(n => !StartsWithAny(n, prefixes)))
            .Distinct(StringComparer.OrdinalIgnoreCase);
        return (new HashSet<string>(names, StringComparer.OrdinalIgnoreCase), prefixes, string.Join(", ", described));
    }
}
