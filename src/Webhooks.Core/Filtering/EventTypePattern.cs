using System.Diagnostics.CodeAnalysis;

namespace Webhooks.Core;

/// <summary>
/// Event type patterns, as webhooks subscribe with them: exact (<c>order.created</c>), a prefix wildcard
/// (<c>order.*</c>, which matches <c>order.created</c> and <c>order.item.added</c> but neither <c>order</c> nor
/// <c>orders.created</c>) or <c>*</c> for every event. Matching is ordinal and allocates nothing.
/// </summary>
public static class EventTypePattern
{
    /// <summary>The pattern that matches every event type.</summary>
    public const string All = "*";

    /// <summary>The length of the longest valid pattern.</summary>
    public const int MaxLength = 256;

    /// <summary>Determines whether an event type matches a pattern.</summary>
    /// <param name="pattern">The pattern; a <c>*</c> anywhere but where <see cref="IsValid"/> allows it is matched literally.</param>
    /// <param name="eventType">The event type.</param>
    /// <returns><see langword="true"/> when <paramref name="eventType"/> matches <paramref name="pattern"/>.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static bool IsMatch(string pattern, string eventType)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(eventType);
        return Matches(pattern, eventType);
    }

    /// <summary>Determines whether an event type matches at least one of the patterns.</summary>
    /// <param name="patterns">The patterns, for example a webhook's event types.</param>
    /// <param name="eventType">The event type.</param>
    /// <returns><see langword="true"/> when a pattern matches; <see langword="false"/> when there are none.</returns>
    /// <exception cref="ArgumentNullException">An argument, or one of the patterns, is <see langword="null"/>.</exception>
    public static bool MatchesAny(IReadOnlyList<string> patterns, string eventType)
    {
        ArgumentNullException.ThrowIfNull(patterns);
        ArgumentNullException.ThrowIfNull(eventType);
        for (var i = 0; i < patterns.Count; i++)
        {
            var pattern = patterns[i];
            ArgumentNullException.ThrowIfNull(pattern, nameof(patterns));
            if (Matches(pattern, eventType))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Determines whether a pattern is valid: not empty, at most <see cref="MaxLength"/> characters of ASCII letters,
    /// digits, <c>.</c>, <c>-</c>, <c>_</c>, <c>/</c> and <c>:</c>, with <c>*</c> only as the whole pattern or as a
    /// final <c>.*</c> segment after a non-empty prefix.
    /// </summary>
    /// <param name="pattern">The pattern.</param>
    /// <param name="error">What is wrong, when the pattern is not valid.</param>
    /// <returns><see langword="true"/> when the pattern is valid.</returns>
    public static bool IsValid(string? pattern, [NotNullWhen(false)] out string? error)
    {
        error = Check(pattern);
        return error is null;
    }

    private static bool Matches(string pattern, string eventType)
    {
        if (pattern.Length == 1 && pattern[0] == '*')
        {
            return true;
        }

        if (pattern.Length > 2 && pattern[^1] == '*' && pattern[^2] == '.')
        {
            // "order.*": the event type must start with "order." and have something after the dot.
            var prefix = pattern.AsSpan(0, pattern.Length - 1);
            return eventType.Length > prefix.Length && eventType.AsSpan().StartsWith(prefix, StringComparison.Ordinal);
        }

        return string.Equals(pattern, eventType, StringComparison.Ordinal);
    }

    private static string? Check(string? pattern)
    {
        if (string.IsNullOrEmpty(pattern))
        {
            return "An event type pattern must not be empty.";
        }

        if (pattern.Length > MaxLength)
        {
            return $"An event type pattern must be at most {MaxLength} characters long.";
        }

        if (pattern == All)
        {
            return null;
        }

        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '*')
            {
                var isFinalSegment = i == pattern.Length - 1 && i >= 2 && pattern[i - 1] == '.';
                if (!isFinalSegment)
                {
                    return $"'*' at character {i + 1} is only allowed as the whole pattern or as a final '.*' segment after a prefix, as in 'order.*'.";
                }
            }
            else if (char.IsWhiteSpace(c))
            {
                return $"An event type pattern must not contain whitespace (found at character {i + 1}).";
            }
            else if (!char.IsAsciiLetterOrDigit(c) && c is not ('.' or '-' or '_' or '/' or ':'))
            {
                var shown = char.IsControl(c) ? $"U+{(int)c:X4}" : $"'{c}'";
                return $"{shown} at character {i + 1} is not allowed in an event type pattern; use ASCII letters, digits, '.', '-', '_', '/' and ':'.";
            }
        }

        // Segments are what "order.*" matches on, so none may be empty: "order.", ".order" and "order..created" are typos.
        var segments = pattern.EndsWith(".*", StringComparison.Ordinal) ? pattern.AsSpan(0, pattern.Length - 2) : pattern.AsSpan();
        var empty = segments.Length == 0 || segments[0] == '.' ? 0
            : segments.IndexOf("..") is >= 0 and var doubled ? doubled + 1
            : segments[^1] == '.' ? segments.Length - 1
            : -1;
        return empty < 0 ? null : $"An event type pattern must not have an empty segment (a leading, trailing or doubled '.' at character {empty + 1}).";
    }
}
