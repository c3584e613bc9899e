namespace Webhooks.Core.Internal;

/// <summary><c>not</c>.</summary>
/// <param name="operand">The negated expression.</param>
internal sealed class NotPredicate(FilterPredicate operand) : FilterPredicate
{
    private readonly FilterPredicate _operand = operand;

    /// <inheritdoc/>
    public override bool Evaluate(in FilterScope scope) => !_operand.Evaluate(scope);
}
