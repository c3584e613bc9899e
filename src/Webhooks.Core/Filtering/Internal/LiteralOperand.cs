namespace Webhooks.Core.Internal;

/// <summary>A literal operand.</summary>
/// <param name="literal">The literal.</param>
internal sealed class LiteralOperand(FilterLiteral literal) : FilterOperand
{
    /// <summary>Gets the literal.</summary>
    public FilterLiteral Literal { get; } = literal;

    /// <inheritdoc/>
    public override FilterValue Resolve(in FilterScope scope, ref TextScratch scratch) => FilterValue.FromLiteral(Literal);
}
