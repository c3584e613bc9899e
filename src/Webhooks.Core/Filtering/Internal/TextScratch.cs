using System.Buffers;

namespace Webhooks.Core.Internal;

/// <summary>
/// Room to decode one string into during an evaluation: a stack buffer, or a pooled array when the string is longer.
/// Call <see cref="Dispose"/> to give back the array.
/// </summary>
/// <param name="initial">The stack buffer; may be empty.</param>
internal ref struct TextScratch(Span<char> initial)
{
    /// <summary>The number of characters worth a stack buffer.</summary>
    public const int StackLength = 128;

    private readonly Span<char> _initial = initial;
    private char[]? _rented;

    /// <summary>Gets a buffer of at least <paramref name="length"/> characters; call once per scratch.</summary>
    /// <param name="length">The number of characters needed.</param>
    /// <returns>The buffer.</returns>
    public Span<char> Get(int length)
    {
        if (length <= _initial.Length)
        {
            return _initial;
        }

        if (_rented is not null)
        {
            ArrayPool<char>.Shared.Return(_rented);
        }

        _rented = ArrayPool<char>.Shared.Rent(length);
        return _rented;
    }

    /// <summary>Returns the pooled array, if one was rented.</summary>
    public void Dispose()
    {
        if (_rented is not null)
        {
            ArrayPool<char>.Shared.Return(_rented);
            _rented = null;
        }
    }
}
