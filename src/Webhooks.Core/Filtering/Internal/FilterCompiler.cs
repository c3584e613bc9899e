namespace Webhooks.Core.Internal;

/// <summary>
/// Turns a syntax tree into a tree of predicates and operands, once per filter. It folds <c>tolower</c> and
/// <c>toupper</c> of literals, and rejects what can never make sense, such as <c>contains(name, 5)</c> or a
/// number where a condition belongs.
/// </summary>
internal sealed class FilterCompiler
{
    private readonly string _text;
    private FilterSyntaxError? _error;

    private FilterCompiler(string text)
    {
        _text = text;
    }

    /// <summary>Compiles a syntax tree.</summary>
    /// <param name="node">The tree.</param>
    /// <param name="text">The expression it was parsed from, for error messages.</param>
    /// <param name="error">Where and why the expression is invalid, when it is.</param>
    /// <returns>The predicate, or <see langword="null"/> with <paramref name="error"/> set.</returns>
    public static FilterPredicate? Compile(FilterNode node, string text, out FilterSyntaxError? error)
    {
        var compiler = new FilterCompiler(text);
        var predicate = compiler.Predicate(node);
        error = compiler._error;
        return predicate;
    }

    private FilterPredicate? Predicate(FilterNode node)
    {
        switch (node)
        {
            case LogicalNode logical:
                var operands = new FilterPredicate[logical.Operands.Count];
                for (var i = 0; i < operands.Length; i++)
                {
                    if (Predicate(logical.Operands[i]) is not { } operand)
                    {
                        return null;
                    }

                    operands[i] = operand;
                }

                return new LogicalPredicate(logical.IsAnd, operands);
            case NotNode not:
                return Predicate(not.Operand) is { } negated ? new NotPredicate(negated) : null;
            case ComparisonNode comparison:
                return Operand(comparison.Left) is { } left && Operand(comparison.Right) is { } right
                    ? new ComparisonPredicate(comparison.Operator, left, right)
                    : null;
            case InNode @in:
                return Operand(@in.Operand) is { } value ? new InPredicate(value, [.. @in.Items]) : null;
            case CallNode { Function: FilterFunction.Contains or FilterFunction.StartsWith or FilterFunction.EndsWith } call:
                return TextArgument(call.Arguments[0]) is { } text && TextArgument(call.Arguments[1]) is { } part
                    ? new TextFunctionPredicate(call.Function, text, part)
                    : null;
            case PropertyNode property:
                return new TruthPredicate(Property(property));
            case LiteralNode { Literal.Kind: FilterValueKind.Boolean } literal:
                return new ConstantPredicate(literal.Literal.Boolean);
            default:
                return Fail<FilterPredicate>(node, "a condition");
        }
    }

    private FilterOperand? Operand(FilterNode node) => node switch
    {
        PropertyNode property => Property(property),
        LiteralNode literal => new LiteralOperand(literal.Literal),
        CallNode { Function: FilterFunction.ToLower or FilterFunction.ToUpper } call => Conversion(call),
        _ => Predicate(node) is { } predicate ? new PredicateOperand(predicate) : null,
    };

    private FilterOperand? TextArgument(FilterNode node)
    {
        var operand = Operand(node);
        var isText = operand switch
        {
            null => true, // already failed
            LiteralOperand literal => literal.Literal.Kind is FilterValueKind.String or FilterValueKind.Null,
            PredicateOperand => false,
            _ => true,
        };
        return isText ? operand : Fail<FilterOperand>(node, "a string");
    }

    private FilterOperand? Conversion(CallNode call)
    {
        var function = call.Function;
        return TextArgument(call.Arguments[0]) switch
        {
            LiteralOperand { Literal.Text: { } text } => new LiteralOperand(FilterLiteral.FromString(
                function == FilterFunction.ToLower ? text.ToLowerInvariant() : text.ToUpperInvariant())),
            LiteralOperand literal => literal, // null stays null
            CaseOperand inner => inner.Then(function),
            { } source => new CaseOperand(source, [function]),
            null => null,
        };
    }

    private static FilterOperand Property(PropertyNode property)
        => property.Segments is ["type"] ? EventTypeOperand.Instance : new DataPathOperand(property.Segments);

    private T? Fail<T>(FilterNode node, string expected)
        where T : class
    {
        var kind = node is LiteralNode literal ? literal.Literal.Kind : FilterValueKind.Other;
        _error ??= new FilterSyntaxError(node.Start, expected, FilterSource.Describe(_text, kind, node.Start, node.End - node.Start));
        return null;
    }
}
