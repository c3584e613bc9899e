namespace Webhooks.Core.Internal;

/// <summary>A chain of <c>and</c> (all must hold) or of <c>or</c> (one must), evaluated left to right with short-circuit.</summary>
/// <param name="isAnd">Whether the chain is an <c>and</c>.</param>
/// <param name="operands">The operands, in order.</param>
internal sealed class LogicalPredicate(bool isAnd, FilterPredicate[] operands) : FilterPredicate
{
    private readonly bool _isAnd = isAnd;
    private readonly FilterPredicate[] _operands = operands;

    /// <inheritdoc/>
    public override bool Evaluate(in FilterScope scope)
    {
        foreach (var operand in _operands)
        {
            if (operand.Evaluate(scope) != _isAnd)
            {
                return !_isAnd;
            }
        }

        return _isAnd;
    }
}
