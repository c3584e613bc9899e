namespace Webhooks.Core.Internal;

/// <summary>Compares numbers exactly where it can: as integers, then decimals, then doubles.</summary>
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

        if (TryGetDecimal(left, out var leftDecimal) && TryGetDecimal(right, out var rightDecimal))
        {
            order = leftDecimal.CompareTo(rightDecimal);
            return true;
        }

        if (TryGetDouble(left, out var leftDouble) && TryGetDouble(right, out var rightDouble))
        {
            order = leftDouble.CompareTo(rightDouble);
            return true;
        }

        order = 0;
        return false;
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

    private static bool TryGetDecimal(scoped in FilterValue value, out decimal number)
    {
        if (value.Literal is { } literal)
        {
            number = literal.Decimal.GetValueOrDefault();
            return literal.Decimal.HasValue;
        }

        return value.Element.TryGetDecimal(out number);
    }

    private static bool TryGetDouble(scoped in FilterValue value, out double number)
    {
        if (value.Literal is { } literal)
        {
            number = literal.Double;
            return true;
        }

        return value.Element.TryGetDouble(out number) && double.IsFinite(number);
    }
}
