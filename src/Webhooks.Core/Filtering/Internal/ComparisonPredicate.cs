namespace Webhooks.Core.Internal;

/// <summary>A comparison such as <c>new/state ne 'OK'</c>.</summary>
/// <param name="comparison">The operator.</param>
/// <param name="left">The left operand.</param>
/// <param name="right">The right operand.</param>
internal sealed class ComparisonPredicate(ComparisonOperator comparison, FilterOperand left, FilterOperand right)
    : OperandPairPredicate(left, right)
{
    private readonly ComparisonOperator _comparison = comparison;

    /// <inheritdoc/>
    protected override bool Test(scoped in FilterValue left, scoped in FilterValue right) => FilterComparer.Compare(_comparison, left, right);
}
