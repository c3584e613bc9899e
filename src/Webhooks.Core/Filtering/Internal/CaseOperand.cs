namespace Webhooks.Core.Internal;

/// <summary>
/// <c>tolower</c> and <c>toupper</c> (invariant culture) around a property: the string is decoded into the scratch
/// buffer and converted there, so nothing is allocated. Literals are converted when compiling instead.
/// </summary>
internal sealed class CaseOperand : FilterOperand
{
    private readonly FilterOperand _source;
    private readonly FilterFunction[] _conversions;

    /// <summary>Initializes a new instance of the <see cref="CaseOperand"/> class.</summary>
    /// <param name="source">The property converted.</param>
    /// <param name="conversions"><see cref="FilterFunction.ToLower"/> or <see cref="FilterFunction.ToUpper"/>, innermost first.</param>
    public CaseOperand(FilterOperand source, FilterFunction[] conversions)
    {
        _source = source;
        _conversions = conversions;
    }

    /// <inheritdoc/>
    public override bool UsesScratch => true;

    /// <summary>Wraps one more conversion around this one.</summary>
    /// <param name="conversion">The outer conversion.</param>
    /// <returns>The combined operand.</returns>
    public CaseOperand Then(FilterFunction conversion) => new(_source, [.. _conversions, conversion]);

    /// <inheritdoc/>
    public override FilterValue Resolve(in FilterScope scope, ref TextScratch scratch)
    {
        var value = _source.Resolve(scope, ref scratch); // a property: it leaves the scratch alone
        if (value.Kind != FilterValueKind.String)
        {
            return value.Kind == FilterValueKind.Null ? default : FilterValue.Incomparable();
        }

        // Decode into the first half of the buffer, then convert back and forth between the halves.
        var length = value.IsJson ? FilterText.MaxLength(value.Element) : value.Text.Length;
        var buffer = scratch.Get(2 * length);
        var text = FilterText.CopyTo(value, buffer[..length]);
        var offset = 0;
        foreach (var conversion in _conversions)
        {
            offset = length - offset;
            var target = buffer.Slice(offset, length);
            var written = conversion == FilterFunction.ToLower ? text.ToLowerInvariant(target) : text.ToUpperInvariant(target);
            text = target[..written];
        }

        return FilterValue.FromText(text);
    }
}
