namespace Webhooks.Core.Internal;

/// <summary>
/// Compares two values for a comparison operator. Values of different types never compare (every operator is
/// false); null equals only null, and is unequal to anything else.
/// </summary>
internal static class FilterComparer
{
    /// <summary>Applies a comparison operator.</summary>
    /// <param name="comparison">The operator.</param>
    /// <param name="left">The left value.</param>
    /// <param name="right">The right value.</param>
    /// <returns>The result; <see langword="false"/> for values that do not compare.</returns>
    public static bool Compare(ComparisonOperator comparison, scoped in FilterValue left, scoped in FilterValue right)
    {
        if (left.Kind == FilterValueKind.Null || right.Kind == FilterValueKind.Null)
        {
            return comparison switch
            {
                ComparisonOperator.Equal => left.Kind == right.Kind,
                ComparisonOperator.NotEqual => left.Kind != right.Kind,
                _ => false,
            };
        }

        var equalityOnly = comparison is ComparisonOperator.Equal or ComparisonOperator.NotEqual;
        if (!TryOrder(left, right, equalityOnly, out var order))
        {
            return false;
        }

        return comparison switch
        {
            ComparisonOperator.Equal => order == 0,
            ComparisonOperator.NotEqual => order != 0,
            ComparisonOperator.GreaterThan => order > 0,
            ComparisonOperator.GreaterThanOrEqual => order >= 0,
            ComparisonOperator.LessThan => order < 0,
            _ => order <= 0,
        };
    }

    /// <summary>Orders two non-null values; for equality alone, any non-zero order means unequal.</summary>
    private static bool TryOrder(scoped in FilterValue left, scoped in FilterValue right, bool equalityOnly, out int order)
    {
        order = 0;
        switch (left.Kind, right.Kind)
        {
            case (FilterValueKind.String, FilterValueKind.String):
                order = equalityOnly ? (TextEquals(left, right) ? 0 : 1) : CompareText(left, right);
                return true;
            case (FilterValueKind.Number, FilterValueKind.Number):
                return FilterNumbers.TryCompare(left, right, out order);
            case (FilterValueKind.Boolean, FilterValueKind.Boolean):
                order = left.Boolean == right.Boolean ? 0 : 1;
                return equalityOnly;
            case (FilterValueKind.Timestamp, FilterValueKind.Timestamp or FilterValueKind.String):
            case (FilterValueKind.String, FilterValueKind.Timestamp):
                if (!FilterText.TryGetInstant(left, out var leftTicks) || !FilterText.TryGetInstant(right, out var rightTicks))
                {
                    return false;
                }

                order = leftTicks.CompareTo(rightTicks);
                return true;
            default:
                return false;
        }
    }

    private static bool TextEquals(scoped in FilterValue left, scoped in FilterValue right)
    {
        if (left.IsJson && right.IsJson)
        {
            return JsonTextEquals(left, right);
        }

        if (left.IsJson || right.IsJson)
        {
            // JsonElement.ValueEquals unescapes as it compares; against a literal it compares UTF-8 directly.
            var json = left.IsJson ? left.Element : right.Element;
            var other = left.IsJson ? right : left;
            return other.Literal?.Utf8 is { } utf8 ? json.ValueEquals(utf8) : json.ValueEquals(other.Text);
        }

        return left.Text.SequenceEqual(right.Text);
    }

    private static bool JsonTextEquals(scoped in FilterValue left, scoped in FilterValue right)
    {
        if (FilterText.TryGetUtf8(left, out var leftUtf8) && FilterText.TryGetUtf8(right, out var rightUtf8))
        {
            return leftUtf8.SequenceEqual(rightUtf8);
        }

        var scratch = new TextScratch(stackalloc char[TextScratch.StackLength]);
        try
        {
            return right.Element.ValueEquals(FilterText.Materialize(left, ref scratch).Text);
        }
        finally
        {
            scratch.Dispose();
        }
    }

    private static int CompareText(scoped in FilterValue left, scoped in FilterValue right)
    {
        var leftScratch = new TextScratch(left.IsJson ? stackalloc char[TextScratch.StackLength] : default);
        var rightScratch = new TextScratch(right.IsJson ? stackalloc char[TextScratch.StackLength] : default);
        try
        {
            // Ordinal: UTF-16 code units, as string.CompareOrdinal.
            var leftText = FilterText.Materialize(left, ref leftScratch).Text;
            return leftText.SequenceCompareTo(FilterText.Materialize(right, ref rightScratch).Text);
        }
        finally
        {
            leftScratch.Dispose();
            rightScratch.Dispose();
        }
    }
}
