using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Webhooks.Core.AspNetCore.Internal;

/// <summary>Reads query string parameters, recording a problem that names the parameter for every wrong one.</summary>
internal sealed class QueryReader
{
    private readonly List<ValidationProblem> _problems = [];

    // Parameters given more than once: one problem says so, rather than another for the values joined with a comma.
    private readonly HashSet<string> _repeated = new(StringComparer.OrdinalIgnoreCase);

    public IReadOnlyList<ValidationProblem> Problems => _problems;

    /// <summary>
    /// Records a problem for each query parameter the route does not take (those in its <see cref="WebhookApiQueryParameter"/>
    /// metadata, in any case, as they bind) and the host did not name in <see cref="WebhookApiOptions.ExtraQueryParameters"/>:
    /// a misspelt filter dropped without a word would answer with everything, as if the client had asked for it all.
    /// Records a problem too for each parameter of the route given more than once (in any case), which binding would
    /// join with a comma: <c>eventType=a&amp;eventType=b</c> would list the messages of an event type "a,b", none.
    /// </summary>
    public void RefuseUnknown(HttpContext context, WebhookApiOptions options)
    {
        var taken = context.GetEndpoint()?.Metadata.GetOrderedMetadata<WebhookApiQueryParameter>() ?? [];
        foreach (var (name, values) in context.Request.Query)
        {
            if (taken.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)) is { } parameter)
            {
                if (values.Count > 1)
                {
                    _problems.Add(new ValidationProblem(parameter.Name, $"The parameter is given {values.Count} times; give it once."));
                    _repeated.Add(parameter.Name);
                }
            }
            else if (!options.ExtraQueryParameters.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                _problems.Add(new ValidationProblem(name, $"This route takes no parameter '{name}'; it takes {string.Join(", ", taken.Select(static p => p.Name))}."));
            }
        }
    }

    public TEnum? Enum<TEnum>(string? text, string name)
        where TEnum : struct, Enum
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        if (ApiEnum<TEnum>.TryParse(text, out var value))
        {
            return value;
        }

        Problem(name, $"Expected one of {ApiEnum<TEnum>.AllowedValues}, got '{text}'.");
        return null;
    }

    /// <summary>Reads an event type to match exactly; one with a control character, which no event has, is a problem.</summary>
    public string? EventType(string? text, string name)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        // PostgreSQL also refuses U+0000 in a parameter: passed on, it would fail the listing.
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsControl(text[i]))
            {
                Problem(name, $"An event type has no control characters; character {i + 1} is U+{(int)text[i]:X4}.");
                return null;
            }
        }

        return text;
    }

    public DateTimeOffset? Time(string? text, string name)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        // An unencoded '+' of an offset arrives as a space; read it as the '+' it was meant to be.
        if (Rfc3339.TryParse(text.Trim(), out var time) || Rfc3339.TryParse(text.Trim().Replace(' ', '+'), out time))
        {
            return time;
        }

        Problem(name, $"Expected {Rfc3339.Expected}, got '{text}'.");
        return null;
    }

    /// <summary>Reads the place in a delivery log to list from: the <c>next</c> of a page before.</summary>
    public MessageLogPosition? LogPosition(string? text, string name)
    {
        MessageLogPosition? position = null;
        if (!string.IsNullOrEmpty(text) && !PageCursor.TryDecode(text, out position))
        {
            NotACursor(text, name, "delivery log");
        }

        return position;
    }

    /// <summary>Reads the place in a list of webhooks to list from: the <c>next</c> of a page before.</summary>
    public WebhookListPosition? ListPosition(string? text, string name)
    {
        WebhookListPosition? position = null;
        if (!string.IsNullOrEmpty(text) && !PageCursor.TryDecode(text, out position))
        {
            NotACursor(text, name, "list");
        }

        return position;
    }

    private void NotACursor(string text, string name, string listing) =>
        Problem(name, $"Expected the 'next' of a page of this {listing}, got '{text}', which is not one.");

    public int Int32(string? text, string name, int defaultValue, int min, int max)
    {
        if (string.IsNullOrEmpty(text))
        {
            return defaultValue;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }

        Problem(name, max == int.MaxValue
            ? $"Expected an integer of at least {min}, got '{text}'."
            : $"Expected an integer from {min} to {max}, got '{text}'.");
        return defaultValue;
    }

    /// <summary>Reads the creation-time range and the page of a listing.</summary>
    public (DateTimeOffset? From, DateTimeOffset? To, int Offset, int Limit) Page(PageParameters parameters, WebhookApiOptions options)
    {
        var from = Time(parameters.CreatedFrom, "createdFrom");
        var to = Time(parameters.CreatedTo, "createdTo");
        if (from is { } start && to is { } end && end < start)
        {
            _problems.Add(new ValidationProblem("createdTo", "createdTo must not be before createdFrom."));
        }

        var offset = Int32(parameters.Offset, "offset", 0, 0, int.MaxValue);
        var limit = Int32(parameters.Limit, "limit", options.DefaultPageSize, 1, options.MaxPageSize);
        return (from, to, offset, limit);
    }

    /// <summary>Records a problem of a parameter, unless it was given more than once: that problem says enough.</summary>
    private void Problem(string name, string problem)
    {
        if (!_repeated.Contains(name))
        {
            _problems.Add(new ValidationProblem(name, problem));
        }
    }
}
