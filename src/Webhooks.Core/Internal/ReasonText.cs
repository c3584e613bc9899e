using System.Globalization;

namespace Webhooks.Core.Internal;

/// <summary>Writes counts and durations the way a person says them in a reason text: "1 attempt", "10 days".</summary>
internal static class ReasonText
{
    private static readonly (long Ticks, string Unit)[] DurationUnits =
    [
        (TimeSpan.TicksPerDay, "day"),
        (TimeSpan.TicksPerHour, "hour"),
        (TimeSpan.TicksPerMinute, "minute"),
        (TimeSpan.TicksPerSecond, "second"),
    ];

    /// <summary>Writes a count with its unit, in the plural unless the count is one.</summary>
    public static string Quantity(long count, string unit) =>
        string.Create(CultureInfo.InvariantCulture, $"{count} {unit}{(count is 1 or -1 ? string.Empty : "s")}");

    /// <summary>Describes a duration in the largest unit it is a whole number of, or in (truncated) milliseconds.</summary>
    public static string Duration(TimeSpan duration)
    {
        foreach (var (ticks, unit) in DurationUnits)
        {
            if (duration.Ticks % ticks == 0)
            {
                return Quantity(duration.Ticks / ticks, unit);
            }
        }

        return Quantity(duration.Ticks / TimeSpan.TicksPerMillisecond, "millisecond");
    }
}
