namespace Webhooks.Core.Internal;

/// <summary>
/// A predicate over two operands. It resolves them, giving each a stack buffer only when it computes text
/// (<c>tolower</c>, <c>toupper</c>), and hands both values to <see cref="Test"/>.
/// </summary>
internal abstract class OperandPairPredicate : FilterPredicate
{
    private readonly FilterOperand _left;
    private readonly FilterOperand _right;
    private readonly bool _usesScratch;

    /// <summary>Initializes a new instance of the <see cref="OperandPairPredicate"/> class.</summary>
    /// <param name="left">The first operand.</param>
    /// <param name="right">The second operand.</param>
    protected OperandPairPredicate(FilterOperand left, FilterOperand right)
    {
        _left = left;
        _right = right;
        _usesScratch = left.UsesScratch || right.UsesScratch;
    }

    /// <inheritdoc/>
    public sealed override bool Evaluate(in FilterScope scope)
    {
        if (_usesScratch)
        {
            return EvaluateWithScratch(scope);
        }

        var none = default(TextScratch);
        return Test(_left.Resolve(scope, ref none), _right.Resolve(scope, ref none));
    }

    /// <summary>Tests the two values.</summary>
    /// <param name="left">The first operand's value.</param>
    /// <param name="right">The second operand's value.</param>
    /// <returns>The predicate's result.</returns>
    protected abstract bool Test(scoped in FilterValue left, scoped in FilterValue right);

    private bool EvaluateWithScratch(in FilterScope scope)
    {
        var leftScratch = new TextScratch(stackalloc char[2 * TextScratch.StackLength]);
        var rightScratch = new TextScratch(stackalloc char[2 * TextScratch.StackLength]);
        try
        {
            return Test(_left.Resolve(scope, ref leftScratch), _right.Resolve(scope, ref rightScratch));
        }
        finally
        {
            leftScratch.Dispose();
            rightScratch.Dispose();
        }
    }
}
