namespace Webhooks.Core.Internal;

/// <summary>
/// A recursive-descent parser for filter expressions. It stops at the first error, which it reports with the position
/// and what was expected there; nesting is limited to <see cref="MaxDepth"/> levels so that hostile input cannot
/// exhaust the stack.
/// </summary>
/// <remarks>
/// <code>
/// filter     = or END
/// or         = and *( "or" and )
/// and        = unary *( "and" unary )
/// unary      = "not" unary / comparison
/// comparison = operand [ ( compare operand ) / ( "in" list ) ]
/// operand    = "(" or ")" / literal / function "(" operand *( "," operand ) ")" / path
/// list       = "(" literal *( "," literal ) ")" / "[" literal *( "," literal ) "]"
/// path       = name *( "/" name )
/// </code>
/// </remarks>
internal sealed partial class FilterParser
{
    /// <summary>How deeply parentheses, <c>not</c> and function calls may nest.</summary>
    public const int MaxDepth = 64;

    private readonly string _text;
    private readonly FilterLexer _lexer;
    private FilterToken _token;
    private FilterSyntaxError? _error;
    private int _depth;

    private FilterParser(string text)
    {
        _text = text;
        _lexer = new FilterLexer(text);
        _token = _lexer.Next();
    }

    /// <summary>Parses an expression into a syntax tree.</summary>
    /// <param name="text">The expression.</param>
    /// <param name="error">Where and why the expression is invalid, when it is.</param>
    /// <returns>The tree, or <see langword="null"/> with <paramref name="error"/> set.</returns>
    public static FilterNode? Parse(string text, out FilterSyntaxError? error)
    {
        var parser = new FilterParser(text);
        var node = parser.ParseFilter();
        error = parser._error;
        return node;
    }

    private FilterNode? ParseFilter()
    {
        if (_token.Kind == FilterTokenKind.End)
        {
            return Fail("an expression");
        }

        var node = ParseLogical(isAnd: false);
        return node is null || _token.Kind == FilterTokenKind.End ? node : Fail("'and', 'or' or end of input");
    }

    private FilterNode? ParseLogical(bool isAnd)
    {
        var first = isAnd ? ParseUnary() : ParseLogical(isAnd: true);
        if (first is null || !IsWord(isAnd ? "and" : "or"))
        {
            return first;
        }

        var operands = new List<FilterNode> { first };
        while (IsWord(isAnd ? "and" : "or"))
        {
            Advance();
            var next = isAnd ? ParseUnary() : ParseLogical(isAnd: true);
            if (next is null)
            {
                return null;
            }

            operands.Add(next);
        }

        return new LogicalNode(first.Start, operands[^1].End, isAnd, operands);
    }

    private FilterNode? ParseUnary()
    {
        if (!IsWord("not"))
        {
            return ParseComparison();
        }

        var start = _token.Start;
        if (!Enter())
        {
            return null;
        }

        Advance();
        var operand = ParseUnary();
        _depth--;
        return operand is null ? null : new NotNode(start, operand.End, operand);
    }

    private FilterNode? ParseComparison()
    {
        var left = ParseOperand();
        if (left is null)
        {
            return null;
        }

        if (_token.Kind == FilterTokenKind.Identifier && FilterKeywords.TryGetComparison(TokenText, out var comparison))
        {
            Advance();
            var right = ParseOperand();
            return right is null ? null : new ComparisonNode(left.Start, right.End, comparison, left, right);
        }

        if (IsWord("in"))
        {
            Advance();
            return ParseList(left);
        }

        var canEnd = _token.Kind is FilterTokenKind.End or FilterTokenKind.CloseParen || IsWord("and") || IsWord("or");
        return canEnd ? left : Fail("a comparison operator");
    }

    private ReadOnlySpan<char> TokenText => _text.AsSpan(_token.Start, _token.Length);

    private bool IsWord(string keyword) => _token.Kind == FilterTokenKind.Identifier && FilterKeywords.Is(TokenText, keyword);

    private void Advance() => _token = _lexer.Next();

    private bool Enter()
    {
        if (++_depth <= MaxDepth)
        {
            return true;
        }

        Fail($"at most {MaxDepth} levels of nesting");
        return false;
    }

    private bool Expect(FilterTokenKind kind, string expected, string? detail = null)
    {
        if (_token.Kind == kind)
        {
            Advance();
            return true;
        }

        Fail(expected, detail);
        return false;
    }

    private FilterNode? Fail(string expected, string? detail = null)
    {
        if (_token.Kind == FilterTokenKind.Error)
        {
            _error ??= _lexer.Error;
            return null;
        }

        var error = new FilterSyntaxError(_token.Start, expected, FilterSource.Describe(_text, _token));
        _error ??= detail is null ? error : error with { Message = $"{error.Message} ({detail})" };
        return null;
    }

    private FilterNode? Fail(int position, string expected, string found)
    {
        _error ??= new FilterSyntaxError(position, expected, found);
        return null;
    }
}
