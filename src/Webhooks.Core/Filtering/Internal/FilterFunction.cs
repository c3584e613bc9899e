namespace Webhooks.Core.Internal;

/// <summary>The functions of the filter language.</summary>
internal enum FilterFunction
{
    /// <summary><c>contains(text, part)</c>: whether <c>text</c> contains <c>part</c>.</summary>
    Contains,

    /// <summary><c>startswith(text, prefix)</c>.</summary>
    StartsWith,

    /// <summary><c>endswith(text, suffix)</c>.</summary>
    EndsWith,

    /// <summary><c>tolower(text)</c>, invariant culture.</summary>
    ToLower,

    /// <summary><c>toupper(text)</c>, invariant culture.</summary>
    ToUpper,
}
