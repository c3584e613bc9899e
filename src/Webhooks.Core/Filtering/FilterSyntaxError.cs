namespace Webhooks.Core;

/// <summary>Why a filter expression could not be parsed: where, what was expected there and what was found.</summary>
/// <param name="Position">The 0-based index of the character in the expression where the problem is.</param>
/// <param name="Expected">What the parser expected at <paramref name="Position"/>, for example <c>')'</c> or <c>a value</c>.</param>
/// <param name="Found">What it found there instead, for example <c>end of input</c> or <c>'='</c>.</param>
public sealed record FilterSyntaxError(int Position, string Expected, string Found)
{
    /// <summary>Gets the human-readable description, for example <c>expected ')' at 27, found end of input</c>.</summary>
    public string Message { get; init; } = $"expected {Expected} at character {Position + 1}, found {Found}";

    /// <inheritdoc/>
    public override string ToString() => Message;
}
