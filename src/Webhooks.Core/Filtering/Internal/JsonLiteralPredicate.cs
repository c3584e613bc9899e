using System.Text.Json;

namespace Webhooks.Core.Internal;

/// <summary>
/// The commonest clauses, a data path against a literal (<c>new/state ne 'OK'</c>, <c>changed/name eq true</c>,
/// <c>old/state eq null</c>, <c>contains(new/name, 'prod')</c>), evaluated straight on the JSON element. Every
/// other case (a type mismatch, an escaped string for a function) goes to the general predicate, which defines
/// the semantics; this class only answers the cases it can answer faster.
/// </summary>
internal sealed class JsonLiteralPredicate : FilterPredicate
{
    private readonly DataPathOperand _path;
    private readonly FilterLiteral _literal;
    private readonly byte[]? _utf8;
    private readonly bool _isEqual;
    private readonly TextFunctionPredicate? _function;
    private readonly OperandPairPredicate _general;

    /// <summary>Initializes a new instance of the <see cref="JsonLiteralPredicate"/> class for <c>eq</c> or <c>ne</c>.</summary>
    /// <param name="path">The path.</param>
    /// <param name="literal">The literal.</param>
    /// <param name="general">The same comparison, with the path on the left.</param>
    /// <param name="isEqual">Whether the comparison is <c>eq</c> (rather than <c>ne</c>).</param>
    public JsonLiteralPredicate(DataPathOperand path, FilterLiteral literal, ComparisonPredicate general, bool isEqual)
        : this(path, literal, general)
    {
        _isEqual = isEqual;
    }

    /// <summary>Initializes a new instance of the <see cref="JsonLiteralPredicate"/> class for a text function.</summary>
    /// <param name="path">The path, the text searched.</param>
    /// <param name="literal">The string looked for.</param>
    /// <param name="general">The same function call.</param>
    public JsonLiteralPredicate(DataPathOperand path, FilterLiteral literal, TextFunctionPredicate general)
        : this(path, literal, (OperandPairPredicate)general)
    {
        _function = general;
    }

    private JsonLiteralPredicate(DataPathOperand path, FilterLiteral literal, OperandPairPredicate general)
    {
        _path = path;
        _literal = literal;
        _utf8 = literal.Utf8;
        _general = general;
    }

    /// <inheritdoc/>
    public override bool Evaluate(in FilterScope scope)
    {
        var element = _path.ResolveElement(scope);
        var kind = element.ValueKind;
        if (_function is not null)
        {
            if (kind == JsonValueKind.String && FilterText.TryGetUtf8(element, out var text))
            {
                return _function.Apply(text, _utf8);
            }
        }
        else if (_literal.Kind == FilterValueKind.String && kind == JsonValueKind.String)
        {
            return element.ValueEquals(_utf8) == _isEqual;
        }
        else if (_literal.Kind == FilterValueKind.Boolean && kind is JsonValueKind.True or JsonValueKind.False)
        {
            return (_literal.Boolean == (kind == JsonValueKind.True)) == _isEqual;
        }
        else if (_literal.Kind == FilterValueKind.Null)
        {
            return (kind is JsonValueKind.Null or JsonValueKind.Undefined) == _isEqual;
        }

        return _general.Test(FilterValue.FromJson(element), FilterValue.FromLiteral(_literal));
    }
}
