namespace Webhooks.Core.Internal;

/// <summary>The kinds of token in a filter expression.</summary>
internal enum FilterTokenKind
{
    /// <summary>The end of the expression.</summary>
    End,

    /// <summary>A name: a property, keyword, function or <c>true</c>/<c>false</c>/<c>null</c>.</summary>
    Identifier,

    /// <summary>A quoted string literal.</summary>
    String,

    /// <summary>A number literal.</summary>
    Number,

    /// <summary>An RFC 3339 timestamp literal.</summary>
    Timestamp,

    /// <summary><c>(</c>.</summary>
    OpenParen,

    /// <summary><c>)</c>.</summary>
    CloseParen,

    /// <summary><c>[</c>.</summary>
    OpenBracket,

    /// <summary><c>]</c>.</summary>
    CloseBracket,

    /// <summary><c>,</c>.</summary>
    Comma,

    /// <summary><c>/</c>.</summary>
    Slash,

    /// <summary>A character the language does not use.</summary>
    Unknown,

    /// <summary>A malformed literal; the lexer's <see cref="FilterLexer.Error"/> says why.</summary>
    Error,
}
