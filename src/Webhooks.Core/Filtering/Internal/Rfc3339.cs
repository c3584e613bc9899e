using System.Numerics;

namespace Webhooks.Core.Internal;

/// <summary>
/// Reads RFC 3339 date-times (<c>2024-01-01T00:00:00Z</c>, <c>2024-06-30T23:59:59.123+02:00</c>) strictly: a full
/// date and time with an offset, so that an instant never depends on the machine's time zone. A leap second (second 60
/// of a minute 59, in any offset, as RFC 3339 §5.6 allows) has no instant of its own: it is read as the second after,
/// the instant it ends, as the management API reads one.
/// </summary>
internal static class Rfc3339
{
    private const int MinLength = 20; // yyyy-MM-ddTHH:mm:ssZ

    /// <summary>Reads a date-time from UTF-16 or UTF-8 text.</summary>
    /// <typeparam name="TChar">The code unit: <see cref="char"/> or <see cref="byte"/>.</typeparam>
    /// <param name="text">The text, entirely a date-time.</param>
    /// <param name="utcTicks">The instant, in UTC ticks.</param>
    /// <returns><see langword="true"/> when <paramref name="text"/> is a valid RFC 3339 date-time.</returns>
    public static bool TryParse<TChar>(ReadOnlySpan<TChar> text, out long utcTicks)
        where TChar : unmanaged, IBinaryInteger<TChar>
    {
        utcTicks = 0;
        if (text.Length < MinLength
            || !TryDigits(text, 0, 4, out var year) || At(text, 4) != '-'
            || !TryDigits(text, 5, 2, out var month) || At(text, 7) != '-'
            || !TryDigits(text, 8, 2, out var day) || (At(text, 10) | 0x20) != 't'
            || !TryDigits(text, 11, 2, out var hour) || At(text, 13) != ':'
            || !TryDigits(text, 14, 2, out var minute) || At(text, 16) != ':'
            || !TryDigits(text, 17, 2, out var second))
        {
            return false;
        }

        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)
            || hour > 23 || minute > 59 || second > 60 || (second == 60 && minute != 59))
        {
            return false;
        }

        var leap = second == 60;
        if (leap)
        {
            second = 59;
        }

        var i = 19;
        long fraction = 0;
        if (At(text, i) == '.')
        {
            var scale = TimeSpan.TicksPerSecond;
            var first = ++i;
            for (; i < text.Length && IsDigit(At(text, i)); i++)
            {
                // Digits beyond the 100 ns resolution of ticks are read but dropped.
                scale /= 10;
                fraction += (At(text, i) - '0') * scale;
            }

            if (i == first)
            {
                return false;
            }
        }

        if (!TryOffset(text[i..], out var offsetTicks))
        {
            return false;
        }

        var ticks = new DateTime(year, month, day, hour, minute, second).Ticks + fraction - offsetTicks + (leap ? TimeSpan.TicksPerSecond : 0);
        if (ticks < DateTime.MinValue.Ticks || ticks > DateTime.MaxValue.Ticks)
        {
            return false;
        }

        utcTicks = ticks;
        return true;
    }

    private static bool TryOffset<TChar>(ReadOnlySpan<TChar> text, out long offsetTicks)
        where TChar : unmanaged, IBinaryInteger<TChar>
    {
        offsetTicks = 0;
        if (text.Length == 1)
        {
            return (At(text, 0) | 0x20) == 'z';
        }

        var sign = At(text, 0);
        if (text.Length != 6 || sign is not ('+' or '-') || At(text, 3) != ':'
            || !TryDigits(text, 1, 2, out var hours) || !TryDigits(text, 4, 2, out var minutes)
            || hours > 23 || minutes > 59)
        {
            return false;
        }

        offsetTicks = ((hours * TimeSpan.TicksPerHour) + (minutes * TimeSpan.TicksPerMinute)) * (sign == '-' ? -1 : 1);
        return true;
    }

    private static bool TryDigits<TChar>(ReadOnlySpan<TChar> text, int start, int count, out int value)
        where TChar : unmanaged, IBinaryInteger<TChar>
    {
        value = 0;
        for (var i = start; i < start + count; i++)
        {
            var c = At(text, i);
            if (!IsDigit(c))
            {
                return false;
            }

            value = (value * 10) + (c - '0');
        }

        return true;
    }

    private static int At<TChar>(ReadOnlySpan<TChar> text, int index)
        where TChar : unmanaged, IBinaryInteger<TChar>
        => index < text.Length ? int.CreateTruncating(text[index]) : -1;

    private static bool IsDigit(int c) => (uint)(c - '0') <= 9;
}
