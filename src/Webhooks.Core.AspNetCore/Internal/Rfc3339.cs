using System.Globalization;
using System.Text.RegularExpressions;

namespace Webhooks.Core.AspNetCore.Internal;

/// <summary>
/// Reads RFC 3339 date-times (section 5.6) as the API's query parameters and bodies take them: a full date, <c>T</c>, a
/// full time with optional fractions, and the offset, which is required (<c>Z</c> or <c>±hh:mm</c>). Text without an
/// offset or in another format is refused rather than read in some time zone or culture.
/// </summary>
internal static partial class Rfc3339
{
    /// <summary>What the problems say is expected.</summary>
    public const string Expected = "an RFC 3339 date and time with its offset, such as 2025-01-31T08:00:00Z";

    public static bool TryParse(string? text, out DateTimeOffset value)
    {
        value = default;
        if (text is null || !Shape().IsMatch(text))
        {
            return false;
        }

        // A leap second (RFC 3339 §5.6 allows second 60, at the end of a minute 59 in any offset) has no DateTimeOffset
        // of its own: it is read as the second after, the instant it ends.
        if (text.AsSpan(17, 2) is "60" && text.AsSpan(14, 2) is "59")
        {
            if (!DateTimeOffset.TryParse(string.Concat(text.AsSpan(0, 17), "59", text.AsSpan(19)), CultureInfo.InvariantCulture, DateTimeStyles.None, out var last)
                || last.UtcTicks > DateTimeOffset.MaxValue.UtcTicks - TimeSpan.TicksPerSecond)
            {
                return false;
            }

            value = last.AddSeconds(1);
            return true;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out value);
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex Shape();
}
