namespace Webhooks.Core.Internal;

/// <summary>The literal <c>true</c> or <c>false</c> as a whole expression.</summary>
/// <param name="value">The result.</param>
internal sealed class ConstantPredicate(bool value) : FilterPredicate
{
    private readonly bool _value = value;

    /// <inheritdoc/>
    public override bool Evaluate(in FilterScope scope) => _value;
}
