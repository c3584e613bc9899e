namespace Webhooks.Core.Internal;

/// <summary>The words of the filter language; all are case-insensitive, as OData allows.</summary>
internal static class FilterKeywords
{
    /// <summary>The function names, for error messages.</summary>
    public const string FunctionList = "contains, endswith, startswith, tolower, toupper";

    /// <summary>Determines whether a word is a given keyword, ignoring case.</summary>
    /// <param name="word">The word.</param>
    /// <param name="keyword">The keyword, in lower case.</param>
    /// <returns><see langword="true"/> when they are the same word.</returns>
    public static bool Is(ReadOnlySpan<char> word, string keyword) => word.Equals(keyword, StringComparison.OrdinalIgnoreCase);

    /// <summary>Determines whether a word is an operator, which cannot start a property path.</summary>
    /// <param name="word">The word.</param>
    /// <returns><see langword="true"/> for <c>and</c>, <c>or</c>, <c>not</c>, <c>in</c> and the comparison operators.</returns>
    public static bool IsOperator(ReadOnlySpan<char> word)
        => Is(word, "and") || Is(word, "or") || Is(word, "not") || Is(word, "in") || TryGetComparison(word, out _);

    /// <summary>Recognises a comparison operator.</summary>
    /// <param name="word">The word.</param>
    /// <param name="comparison">The operator.</param>
    /// <returns><see langword="true"/> when <paramref name="word"/> is one.</returns>
    public static bool TryGetComparison(ReadOnlySpan<char> word, out ComparisonOperator comparison)
    {
        comparison = default;
        if (word.Length != 2)
        {
            return false;
        }

        Span<char> lower = stackalloc char[2];
        word.ToLowerInvariant(lower);
        comparison = lower switch
        {
            "eq" => ComparisonOperator.Equal,
            "ne" => ComparisonOperator.NotEqual,
            "gt" => ComparisonOperator.GreaterThan,
            "ge" => ComparisonOperator.GreaterThanOrEqual,
            "lt" => ComparisonOperator.LessThan,
            "le" => ComparisonOperator.LessThanOrEqual,
            _ => (ComparisonOperator)(-1),
        };
        return comparison >= 0;
    }

    /// <summary>Recognises a function name.</summary>
    /// <param name="word">The word.</param>
    /// <param name="function">The function.</param>
    /// <returns><see langword="true"/> when <paramref name="word"/> names one.</returns>
    public static bool TryGetFunction(ReadOnlySpan<char> word, out FilterFunction function)
    {
        foreach (var candidate in Enum.GetValues<FilterFunction>())
        {
            if (Is(word, NameOf(candidate)))
            {
                function = candidate;
                return true;
            }
        }

        function = default;
        return false;
    }

    /// <summary>Gets a function's name as written in expressions.</summary>
    /// <param name="function">The function.</param>
    /// <returns>The name, in lower case.</returns>
    public static string NameOf(FilterFunction function) => function switch
    {
        FilterFunction.Contains => "contains",
        FilterFunction.StartsWith => "startswith",
        FilterFunction.EndsWith => "endswith",
        FilterFunction.ToLower => "tolower",
        _ => "toupper",
    };

    /// <summary>Gets how many arguments a function takes.</summary>
    /// <param name="function">The function.</param>
    /// <returns>1 or 2.</returns>
    public static int ArityOf(FilterFunction function) => function is FilterFunction.ToLower or FilterFunction.ToUpper ? 1 : 2;
}
