namespace Webhooks.Core.Internal;

/// <summary>A boolean expression used as an operand, as in <c>contains(a, 'b') eq false</c>.</summary>
/// <param name="predicate">The expression.</param>
internal sealed class PredicateOperand(FilterPredicate predicate) : FilterOperand
{
    private readonly FilterPredicate _predicate = predicate;

    /// <inheritdoc/>
    public override FilterValue Resolve(in FilterScope scope, ref TextScratch scratch) => FilterValue.FromBoolean(_predicate.Evaluate(scope));
}
