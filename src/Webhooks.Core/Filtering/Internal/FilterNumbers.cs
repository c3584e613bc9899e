using System.Runtime.InteropServices;

namespace Webhooks.Core.Internal;

/// <summary>Compares numbers exactly: as integers when both are in the range of <see cref="long"/>, else as written.</summary>
internal static class FilterNumbers
{
    /// <summary>Orders two number values.</summary>
    /// <param name="left">The left number.</param>
    /// <param name="right">The right number.</param>
    /// <param name="order">Negative, zero or positive as <paramref name="left"/> is less than, equal to or greater than <paramref name="right"/>.</param>
    /// <returns><see langword="false"/> when either number cannot be read.</returns>
    public static bool TryCompare(scoped in FilterValue left, scoped in FilterValue right, out int order)
    {
        if (TryGetInt64(left, out var leftInteger) && TryGetInt64(right, out var rightInteger))
        {
            order = leftInteger.CompareTo(rightInteger);
            return true;
        }

        return NumberText.TryCompare(Utf8(left), Utf8(right), out order);
    }

    private static bool TryGetInt64(scoped in FilterValue value, out long number)
    {
        if (value.Literal is { } literal)
        {
            number = literal.Int64.GetValueOrDefault();
            return literal.Int64.HasValue;
        }

        return value.Element.TryGetInt64(out number);
    }

    private static ReadOnlySpan<byte> Utf8(scoped in FilterValue value) =>
        value.Literal is { } literal ? literal.Utf8 : JsonMarshal.GetRawUtf8Value(value.Element);
}
