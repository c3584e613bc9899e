namespace Webhooks.Core.Internal;

/// <summary><c>x in (a, b, ...)</c>: whether the operand equals one of the literals.</summary>
/// <param name="operand">The value looked for.</param>
/// <param name="items">The literals.</param>
internal sealed class InPredicate(FilterOperand operand, FilterLiteral[] items) : FilterPredicate
{
    private readonly FilterOperand _operand = operand;
    private readonly FilterLiteral[] _items = items;

    /// <inheritdoc/>
    public override bool Evaluate(in FilterScope scope)
    {
        var scratch = new TextScratch(_operand.UsesScratch ? stackalloc char[2 * TextScratch.StackLength] : default);
        try
        {
            var value = _operand.Resolve(scope, ref scratch);
            foreach (var item in _items)
            {
                if (FilterComparer.Compare(ComparisonOperator.Equal, value, FilterValue.FromLiteral(item)))
                {
                    return true;
                }
            }

            return false;
        }
        finally
        {
            scratch.Dispose();
        }
    }
}
