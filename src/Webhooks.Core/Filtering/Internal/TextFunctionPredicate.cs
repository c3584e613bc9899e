namespace Webhooks.Core.Internal;

/// <summary>
/// <c>contains</c>, <c>startswith</c> and <c>endswith</c>: ordinal and case-sensitive, on UTF-8 in place when both
/// strings allow it (matching UTF-8 code units gives the same answer as matching UTF-16 ones), on decoded text otherwise.
/// </summary>
/// <param name="function">The function.</param>
/// <param name="text">The first argument, searched.</param>
/// <param name="part">The second argument, looked for.</param>
internal sealed class TextFunctionPredicate(FilterFunction function, FilterOperand text, FilterOperand part)
    : OperandPairPredicate(text, part)
{
    private readonly FilterFunction _function = function;

    /// <inheritdoc/>
    protected override bool Test(scoped in FilterValue left, scoped in FilterValue right)
    {
        if (left.Kind != FilterValueKind.String || right.Kind != FilterValueKind.String)
        {
            return false;
        }

        if (FilterText.TryGetUtf8(left, out var leftUtf8) && FilterText.TryGetUtf8(right, out var rightUtf8))
        {
            return Apply(leftUtf8, rightUtf8);
        }

        var leftScratch = new TextScratch(left.IsJson ? stackalloc char[TextScratch.StackLength] : default);
        var rightScratch = new TextScratch(right.IsJson ? stackalloc char[TextScratch.StackLength] : default);
        try
        {
            return Apply(FilterText.Materialize(left, ref leftScratch).Text, FilterText.Materialize(right, ref rightScratch).Text);
        }
        finally
        {
            leftScratch.Dispose();
            rightScratch.Dispose();
        }
    }

    private bool Apply<T>(ReadOnlySpan<T> text, ReadOnlySpan<T> part)
        where T : IEquatable<T> => _function switch
        {
            FilterFunction.StartsWith => text.StartsWith(part),
            FilterFunction.EndsWith => text.EndsWith(part),
            _ => text.IndexOf(part) >= 0,
        };
}
