namespace Webhooks.Core.Internal;

/// <summary>Describes pieces of a filter expression in error messages.</summary>
internal static class FilterSource
{
    private const int MaxQuoted = 40;

    /// <summary>Quotes part of the expression, shortened when long.</summary>
    /// <param name="text">The expression.</param>
    /// <param name="start">The index of the first character.</param>
    /// <param name="length">The number of characters.</param>
    /// <returns>The part in single quotes, for example <c>'eq'</c>.</returns>
    public static string Quote(string text, int start, int length)
    {
        var part = text.AsSpan(start, Math.Min(length, MaxQuoted));
        if (part.Length < length && char.IsHighSurrogate(part[^1]))
        {
            part = part[..^1]; // not half a character
        }

        return length > MaxQuoted ? $"'{part}...'" : $"'{part}'";
    }

    /// <summary>Describes a token as it is reported after "found".</summary>
    /// <param name="text">The expression.</param>
    /// <param name="token">The token.</param>
    /// <returns>For example <c>end of input</c>, <c>')'</c> or <c>string 'abc'</c>.</returns>
    public static string Describe(string text, FilterToken token)
    {
        var kind = token.Kind switch
        {
            FilterTokenKind.String => FilterValueKind.String,
            FilterTokenKind.Number => FilterValueKind.Number,
            FilterTokenKind.Timestamp => FilterValueKind.Timestamp,
            _ => FilterValueKind.Other,
        };
        return token.Kind == FilterTokenKind.End ? "end of input" : Describe(text, kind, token.Start, token.Length);
    }

    /// <summary>Describes part of the expression, naming the type of a literal.</summary>
    /// <param name="text">The expression.</param>
    /// <param name="kind">The type of a literal; <see cref="FilterValueKind.Other"/> for anything else.</param>
    /// <param name="start">The index of the first character.</param>
    /// <param name="length">The number of characters.</param>
    /// <returns>For example <c>'eq'</c>, <c>string 'abc'</c> or <c>number '5'</c>.</returns>
    public static string Describe(string text, FilterValueKind kind, int start, int length) => kind switch
    {
        FilterValueKind.String => "string " + Quote(text, start + 1, Math.Max(0, length - 2)),
        FilterValueKind.Number => "number " + Quote(text, start, length),
        FilterValueKind.Timestamp => "timestamp " + Quote(text, start, length),
        _ => Quote(text, start, length),
    };
}
