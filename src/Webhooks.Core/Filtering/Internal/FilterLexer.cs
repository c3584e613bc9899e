using System.Text;

namespace Webhooks.Core.Internal;

/// <summary>Splits a filter expression into tokens, one at a time as the parser asks for them.</summary>
internal sealed class FilterLexer
{
    private readonly string _text;
    private int _position;

    /// <summary>Initializes a new instance of the <see cref="FilterLexer"/> class.</summary>
    /// <param name="text">The expression.</param>
    public FilterLexer(string text)
    {
        _text = text;
    }

    /// <summary>Gets why the last <see cref="FilterTokenKind.Error"/> token is malformed.</summary>
    public FilterSyntaxError? Error { get; private set; }

    /// <summary>Reads the next token.</summary>
    /// <returns>The token; <see cref="FilterTokenKind.End"/> at the end, and from then on.</returns>
    public FilterToken Next()
    {
        SkipWhitespace();
        if (_position >= _text.Length)
        {
            return new FilterToken(FilterTokenKind.End, _text.Length, 0);
        }

        var c = _text[_position];
        return c switch
        {
            '(' => Single(FilterTokenKind.OpenParen),
            ')' => Single(FilterTokenKind.CloseParen),
            '[' => Single(FilterTokenKind.OpenBracket),
            ']' => Single(FilterTokenKind.CloseBracket),
            ',' => Single(FilterTokenKind.Comma),
            '/' => Single(FilterTokenKind.Slash),
            '\'' => ScanString(),
            _ when char.IsAsciiDigit(c) || (c == '-' && char.IsAsciiDigit(Peek(1))) => ScanNumberOrTimestamp(),
            _ when char.IsLetter(c) || c == '_' => ScanIdentifier(),
            _ => Unknown(),
        };
    }

    /// <summary>Determines whether the next character that is not whitespace is <paramref name="c"/>.</summary>
    /// <param name="c">The character.</param>
    /// <returns><see langword="true"/> when it is.</returns>
    public bool NextNonWhitespaceIs(char c)
    {
        SkipWhitespace();
        return Peek(0) == c;
    }

    private char Peek(int offset) => _position + offset < _text.Length ? _text[_position + offset] : '\0';

    private void SkipWhitespace()
    {
        while (_position < _text.Length && char.IsWhiteSpace(_text[_position]))
        {
            _position++;
        }
    }

    private FilterToken Single(FilterTokenKind kind) => new(kind, _position++, 1);

    private FilterToken Unknown()
    {
        // A character beyond U+FFFF is quoted whole in the error: half of it is no text (JSON writes it as U+FFFD).
        var length = char.IsHighSurrogate(_text[_position]) && char.IsLowSurrogate(Peek(1)) ? 2 : 1;
        var token = new FilterToken(FilterTokenKind.Unknown, _position, length);
        _position += length;
        return token;
    }

    private FilterToken ScanIdentifier()
    {
        var start = _position;
        while (_position < _text.Length && (char.IsLetterOrDigit(_text[_position]) || _text[_position] == '_'))
        {
            _position++;
        }

        return new FilterToken(FilterTokenKind.Identifier, start, _position - start);
    }

    private FilterToken ScanString()
    {
        var start = _position++;
        var value = new StringBuilder();
        while (_position < _text.Length)
        {
            var c = _text[_position++];
            if (c != '\'')
            {
                value.Append(c);
            }
            else if (Peek(0) == '\'')
            {
                value.Append('\'');
                _position++;
            }
            else if (Utf16Text.IndexOfLoneSurrogate(_text.AsSpan(start + 1, _position - start - 2)) is >= 0 and var lone)
            {
                // No UTF-8 carries it: compared in place with the event's UTF-8 it would equal U+FFFD, decoded it would not.
                var at = start + 1 + lone;
                Error = new FilterSyntaxError(at, "a whole character", Utf16Text.DescribeLoneSurrogate(_text[at]));
                return new FilterToken(FilterTokenKind.Error, start, _position - start);
            }
            else
            {
                return new FilterToken(FilterTokenKind.String, start, _position - start, FilterLiteral.FromString(value.ToString()));
            }
        }

        return Fail(start, _text.Length, "a closing quote", $"the string starting at character {start + 1} is not terminated");
    }

    private FilterToken ScanNumberOrTimestamp()
    {
        var start = _position;
        var negative = _text[_position] == '-';
        if (negative)
        {
            _position++;
        }

        var digits = SkipDigits();
        if (!negative && digits == 4 && Peek(0) == '-')
        {
            return ScanTimestamp(start);
        }

        if (Peek(0) == '.')
        {
            _position++;
            if (SkipDigits() == 0)
            {
                return Fail(start, _position, "a digit after the decimal point", null);
            }
        }

        if ((Peek(0) | 0x20) == 'e' && (char.IsAsciiDigit(Peek(1)) || (Peek(1) is '+' or '-' && char.IsAsciiDigit(Peek(2)))))
        {
            _position += char.IsAsciiDigit(Peek(1)) ? 1 : 2;
            SkipDigits();
        }

        var text = _text.AsSpan(start, _position - start);
        return FilterLiteral.TryFromNumber(text, out var literal)
            ? new FilterToken(FilterTokenKind.Number, start, text.Length, literal)
            : Fail(start, start, "a finite number", null);
    }

    private FilterToken ScanTimestamp(int start)
    {
        while (_position < _text.Length && (char.IsAsciiLetterOrDigit(_text[_position]) || _text[_position] is ':' or '.' or '+' or '-'))
        {
            _position++;
        }

        var text = _text.AsSpan(start, _position - start);
        return Rfc3339.TryParse(text, out var ticks)
            ? new FilterToken(FilterTokenKind.Timestamp, start, text.Length, FilterLiteral.FromInstant(ticks))
            : Fail(start, start, "an RFC 3339 timestamp such as 2024-01-01T00:00:00Z", null);
    }

    private int SkipDigits()
    {
        var start = _position;
        while (_position < _text.Length && char.IsAsciiDigit(_text[_position]))
        {
            _position++;
        }

        return _position - start;
    }

    private FilterToken Fail(int start, int position, string expected, string? detail)
    {
        // At the token's start the whole token was wrong; further on, the character there was.
        var found = position >= _text.Length ? "end of input"
            : position == start ? FilterSource.Quote(_text, start, _position - start)
            : FilterSource.Quote(_text, position, 1);
        var error = new FilterSyntaxError(position, expected, found);
        Error = detail is null ? error : error with { Message = $"{error.Message} ({detail})" };
        return new FilterToken(FilterTokenKind.Error, start, _position - start);
    }
}
