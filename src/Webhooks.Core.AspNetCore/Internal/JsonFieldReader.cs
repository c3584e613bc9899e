using System.Text.Json;

namespace Webhooks.Core.AspNetCore.Internal;

/// <summary>Reads typed values out of request JSON, recording a problem that names the field for every wrong one.</summary>
/// <param name="problems">Where problems are recorded.</param>
internal sealed class JsonFieldReader(List<ValidationProblem> problems)
{
    public bool HasProblems => problems.Count > 0;

    public void Problem(string field, string message) => problems.Add(new ValidationProblem(field, message));

    public string? String(JsonElement value, string field)
    {
        if (value.ValueKind == JsonValueKind.String)
        {
            return value.GetString();
        }

        Problem(field, $"Expected a string, got {Describe(value)}.");
        return null;
    }

    public bool? Boolean(JsonElement value, string field)
    {
        if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            return value.GetBoolean();
        }

        Problem(field, $"Expected true or false, got {Describe(value)}.");
        return null;
    }

    public long? Int64(JsonElement value, string field)
    {
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number))
        {
            return number;
        }

        Problem(field, $"Expected an integer, got {Describe(value)}.");
        return null;
    }

    public TEnum? Enum<TEnum>(JsonElement value, string field)
        where TEnum : struct, Enum
    {
        if (value.ValueKind == JsonValueKind.String && ApiEnum<TEnum>.TryParse(value.GetString(), out var parsed))
        {
            return parsed;
        }

        Problem(field, $"Expected one of {ApiEnum<TEnum>.AllowedValues}, got {Describe(value)}.");
        return null;
    }

    public DateTimeOffset? Time(JsonElement value, string field)
    {
        if (value.ValueKind == JsonValueKind.String && Rfc3339.TryParse(value.GetString(), out var time))
        {
            return time;
        }

        Problem(field, $"Expected {Rfc3339.Expected}, got {Describe(value)}.");
        return null;
    }

    public IReadOnlyList<string>? StringList(JsonElement value, string field)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            Problem(field, $"Expected an array of strings, got {Describe(value)}.");
            return null;
        }

        var list = new List<string>(value.GetArrayLength());
        var index = 0;
        foreach (var item in value.EnumerateArray())
        {
            if (String(item, $"{field}[{index++}]") is { } text)
            {
                list.Add(text);
            }
        }

        return list;
    }

    /// <summary>Reads an object of header names to string values; <see langword="null"/> values only when <paramref name="allowNullValues"/>.</summary>
    public Dictionary<string, string?>? Headers(JsonElement value, string field, bool allowNullValues)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            // Write-only, as the values in the object: a string given instead may be a header ("X-Api-Key: ...").
            Problem(field, $"Expected an object of header names to values, got {Kind(value)}.");
            return null;
        }

        var headers = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var header in value.EnumerateObject())
        {
            var name = $"{field}.{header.Name}";
            if (headers.ContainsKey(header.Name))
            {
                // Header names are case-insensitive: keeping the last of two would drop one silently.
                Problem(name, "The header is given twice; header names are case-insensitive.");
                continue;
            }

            if (header.Value.ValueKind == JsonValueKind.Null && allowNullValues)
            {
                headers[header.Name] = null;
            }
            else if (header.Value.ValueKind == JsonValueKind.String)
            {
                headers[header.Name] = header.Value.GetString();
            }
            else
            {
                // Header values are write-only: the problem names the kind of value, never the value.
                Problem(name, $"Expected a string, got {Kind(header.Value)}.");
            }
        }

        return headers;
    }

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => $"'{Shorten(value.GetString())}'",
        JsonValueKind.Number => $"the number {Shorten(value.GetRawText())}",
        JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
        _ => Kind(value),
    };

    private static string Kind(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        JsonValueKind.Array => "an array",
        _ => "an object",
    };

    private static string? Shorten(string? text) => text is { Length: > 40 } ? text[..40] + "…" : text;
}
