namespace Webhooks.Core.Internal;

/// <summary>One token of a filter expression.</summary>
/// <param name="Kind">What the token is.</param>
/// <param name="Start">The index of its first character.</param>
/// <param name="Length">How many characters it spans.</param>
/// <param name="Literal">The value of a string, number or timestamp token.</param>
internal readonly record struct FilterToken(FilterTokenKind Kind, int Start, int Length, FilterLiteral? Literal = null)
{
    /// <summary>Gets the index just after the token.</summary>
    public int End => Start + Length;
}
