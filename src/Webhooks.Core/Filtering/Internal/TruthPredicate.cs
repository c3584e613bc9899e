namespace Webhooks.Core.Internal;

/// <summary>A property on its own, as in <c>changed/name and ...</c>: true when it holds the JSON value <c>true</c>.</summary>
/// <param name="operand">The property.</param>
internal sealed class TruthPredicate(FilterOperand operand) : FilterPredicate
{
    private readonly FilterOperand _operand = operand;

    /// <inheritdoc/>
    public override bool Evaluate(in FilterScope scope)
    {
        var none = default(TextScratch);
        var value = _operand.Resolve(scope, ref none);
        return value.Kind == FilterValueKind.Boolean && value.Boolean;
    }
}
