namespace Webhooks.Core.Internal;

/// <content>Operands: literals, property paths, function calls, parentheses and <c>in</c> lists.</content>
internal sealed partial class FilterParser
{
    private FilterNode? ParseOperand()
    {
        var start = _token.Start;
        int end;
        switch (_token.Kind)
        {
            case FilterTokenKind.OpenParen:
                return ParseGroup();
            case FilterTokenKind.String or FilterTokenKind.Number or FilterTokenKind.Timestamp:
                var literal = _token.Literal!;
                end = _token.End;
                Advance();
                return new LiteralNode(start, end, literal);
            case FilterTokenKind.Identifier when WordLiteral() is { } word:
                end = _token.End;
                Advance();
                return new LiteralNode(start, end, word);
            case FilterTokenKind.Identifier when !FilterKeywords.IsOperator(TokenText):
                return _lexer.NextNonWhitespaceIs('(') ? ParseCall() : ParsePath();
            case FilterTokenKind.Unknown when _text[start] == '"':
                return Fail("a value", "string literals use single quotes");
            default:
                return Fail("a value");
        }
    }

    private FilterNode? ParseGroup()
    {
        if (!Enter())
        {
            return null;
        }

        Advance();
        var inner = ParseLogical(isAnd: false);
        if (inner is null || !Expect(FilterTokenKind.CloseParen, "')'"))
        {
            return null;
        }

        _depth--;
        return inner;
    }

    private FilterNode? ParseCall()
    {
        var start = _token.Start;
        if (!FilterKeywords.TryGetFunction(TokenText, out var function))
        {
            return Fail($"a function ({FilterKeywords.FunctionList})");
        }

        Advance();
        if (!Enter())
        {
            return null;
        }

        Advance(); // the '(' the lexer saw ahead
        var arity = FilterKeywords.ArityOf(function);
        var detail = $"{FilterKeywords.NameOf(function)} takes {arity} argument{(arity == 1 ? string.Empty : "s")}";
        var arguments = new List<FilterNode>(arity);
        for (var i = 0; i < arity; i++)
        {
            if (i > 0 && !Expect(FilterTokenKind.Comma, "','", detail))
            {
                return null;
            }

            var argument = ParseOperand();
            if (argument is null)
            {
                return null;
            }

            arguments.Add(argument);
        }

        var end = _token.End;
        if (!Expect(FilterTokenKind.CloseParen, "')'", detail))
        {
            return null;
        }

        _depth--;
        return new CallNode(start, end, function, arguments);
    }

    private FilterNode? ParsePath()
    {
        // As in OData, a path has no whitespace: "new/name", not "new / name".
        var start = _token.Start;
        var segments = new List<string>();
        while (true)
        {
            segments.Add(TokenText.ToString());
            var end = _token.End;
            Advance();
            if (_token.Kind != FilterTokenKind.Slash || _token.Start != end)
            {
                return new PropertyNode(start, end, segments);
            }

            var slashEnd = _token.End;
            Advance();
            if (_token.Start != slashEnd && _token.Kind != FilterTokenKind.End)
            {
                return Fail(slashEnd, "a property name", "whitespace");
            }

            if (_token.Kind != FilterTokenKind.Identifier)
            {
                return Fail("a property name");
            }
        }
    }

    private FilterNode? ParseList(FilterNode operand)
    {
        var close = _token.Kind switch
        {
            FilterTokenKind.OpenParen => FilterTokenKind.CloseParen,
            FilterTokenKind.OpenBracket => FilterTokenKind.CloseBracket,
            _ => FilterTokenKind.End,
        };
        if (close == FilterTokenKind.End)
        {
            return Fail("'(' or '['");
        }

        var expectedClose = close == FilterTokenKind.CloseParen ? "',' or ')'" : "',' or ']'";
        var items = new List<FilterLiteral>();
        Advance();
        while (true)
        {
            var item = _token.Kind is FilterTokenKind.String or FilterTokenKind.Number or FilterTokenKind.Timestamp
                ? _token.Literal
                : WordLiteral();
            if (item is null)
            {
                return Fail("a literal");
            }

            items.Add(item);
            Advance();
            var end = _token.End;
            if (_token.Kind == close)
            {
                Advance();
                return new InNode(operand.Start, end, operand, items);
            }

            if (!Expect(FilterTokenKind.Comma, expectedClose))
            {
                return null;
            }
        }
    }

    private FilterLiteral? WordLiteral()
    {
        var text = TokenText;
        return _token.Kind != FilterTokenKind.Identifier ? null
            : FilterKeywords.Is(text, "true") ? FilterLiteral.True
            : FilterKeywords.Is(text, "false") ? FilterLiteral.False
            : FilterKeywords.Is(text, "null") ? FilterLiteral.Null
            : null;
    }
}
