namespace Webhooks.Core;

/// <content>The event type rules.</content>
public sealed partial class WebhookValidator
{
    private const string EventTypeRule =
        "Allowed: an exact type ('order.created'), a prefix ('order.*') or '*', made of letters, digits and . - _ / :.";

    private static void CheckEventTypes(IReadOnlyList<string>? eventTypes, string? eventFilter, List<ValidationProblem> problems)
    {
        if ((eventTypes is null || eventTypes.Count == 0) && string.IsNullOrWhiteSpace(eventFilter))
        {
            problems.Add(new("eventTypes", $"At least one event type or a non-empty event filter is required. {EventTypeRule}"));
            return;
        }

        for (int i = 0; i < eventTypes?.Count; i++)
        {
            if (EventTypeProblem(eventTypes[i]) is { } problem)
            {
                problems.Add(new($"eventTypes[{i}]", $"{problem} {EventTypeRule}"));
            }
        }
    }

    // A small syntax check of its own; matching is done elsewhere.
    private static string? EventTypeProblem(string? pattern)
    {
        if (string.IsNullOrEmpty(pattern))
        {
            return "The event type is empty.";
        }

        if (pattern == "*")
        {
            return null;
        }

        var exact = pattern.EndsWith(".*", StringComparison.Ordinal) ? pattern[..^2] : pattern;
        foreach (char c in exact)
        {
            if (c == '*')
            {
                return "'*' is allowed only as the whole pattern or as the last segment after a '.'.";
            }

            if (!char.IsAsciiLetterOrDigit(c) && c is not ('.' or '-' or '_' or '/' or ':'))
            {
                return $"The event type contains {Describe(c)}, which is not allowed.";
            }
        }

        if (exact.Length == 0 || exact[0] == '.' || exact[^1] == '.' || exact.Contains("..", StringComparison.Ordinal))
        {
            return "The event type has an empty segment (a leading, trailing or doubled '.').";
        }

        return null;
    }

    private static string Describe(char c) => char.IsControl(c) || char.IsWhiteSpace(c) ? $"U+{(int)c:X4}" : $"'{c}'";
}
