namespace Webhooks.Core.Internal;

/// <summary>
/// Compares numbers as written, in JSON's number syntax (<c>-12.5e3</c>), exactly: whatever their size or precision,
/// where <see cref="decimal"/> rounds after 28 places (<c>1e-40</c> to 0) and <see cref="double"/> after 17 digits.
/// </summary>
internal static class NumberText
{
    /// <summary>Orders two numbers written as UTF-8 text.</summary>
    /// <param name="left">The left number.</param>
    /// <param name="right">The right number.</param>
    /// <param name="order">Negative, zero or positive as <paramref name="left"/> is less than, equal to or greater than <paramref name="right"/>.</param>
    /// <returns><see langword="false"/> when either is not a number.</returns>
    public static bool TryCompare(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right, out int order)
    {
        if (!Parsed.TryParse(left, out var a) || !Parsed.TryParse(right, out var b))
        {
            order = 0;
            return false;
        }

        order = (a.Sign, b.Sign) switch
        {
            (0, 0) => 0,
            _ when a.Sign != b.Sign => a.Sign.CompareTo(b.Sign),
            _ => a.Sign * CompareMagnitudes(a, b),
        };
        return true;
    }

    private static int CompareMagnitudes(in Parsed a, in Parsed b)
    {
        if (a.Magnitude != b.Magnitude)
        {
            return a.Magnitude.CompareTo(b.Magnitude);
        }

        // The same power of ten: the digits decide, first to last. Each ends with a digit other than 0, so the one with
        // digits left over is the larger.
        int i = 0, j = 0;
        while (true)
        {
            i = NextDigit(a.Digits, i);
            j = NextDigit(b.Digits, j);
            if (i == a.Digits.Length || j == b.Digits.Length)
            {
                return (i == a.Digits.Length ? 0 : 1) - (j == b.Digits.Length ? 0 : 1);
            }

            if (a.Digits[i] != b.Digits[j])
            {
                return a.Digits[i].CompareTo(b.Digits[j]);
            }

            i++;
            j++;
        }
    }

    private static int NextDigit(ReadOnlySpan<byte> digits, int index) => index < digits.Length && digits[index] == '.' ? index + 1 : index;

    /// <summary>
    /// A number taken apart: its sign (0 for zero), its significant digits from the first that is not 0 to the last
    /// (with the decimal point, if it falls between them), and its magnitude: the power of ten its first digit is just
    /// below (1 for 5, 0 for 0.5, 3 for 1.2e2).
    /// </summary>
    private readonly ref struct Parsed(int sign, ReadOnlySpan<byte> digits, Int128 magnitude)
    {
        // Exponents are exact up to here (36 digits); beyond it they compare as equal. Int128 holds the cap times ten.
        private static readonly Int128 ExponentCap = Int128.Parse("1000000000000000000000000000000000000", System.Globalization.CultureInfo.InvariantCulture);

        public int Sign { get; } = sign;

        public ReadOnlySpan<byte> Digits { get; } = digits;

        public Int128 Magnitude { get; } = magnitude;

        public static bool TryParse(ReadOnlySpan<byte> text, out Parsed parsed)
        {
            parsed = default;
            var i = 0;
            var negative = i < text.Length && text[i] == '-';
            if (negative || (i < text.Length && text[i] == '+'))
            {
                i++;
            }

            int start = i, point = -1, first = -1, last = -1;
            for (; i < text.Length; i++)
            {
                var c = text[i];
                if (c == '.' && point < 0)
                {
                    point = i;
                }
                else if (char.IsAsciiDigit((char)c))
                {
                    if (c != '0')
                    {
                        first = first < 0 ? i : first;
                        last = i;
                    }
                }
                else
                {
                    break;
                }
            }

            var end = i;
            if (end - start == (point < 0 ? 0 : 1))
            {
                return false; // No digit.
            }

            if (!TryParseExponent(text[end..], out var exponent))
            {
                return false;
            }

            if (first < 0)
            {
                return true; // Zero, whatever its sign and exponent.
            }

            // A digit before the point at index k has the weight 10^(point - k - 1), one after it 10^(point - k).
            var pointAt = point < 0 ? end : point;
            var magnitude = (Int128)(first < pointAt ? pointAt - first : pointAt - first + 1) + exponent;
            parsed = new Parsed(negative ? -1 : 1, text[first..(last + 1)], magnitude);
            return true;
        }

        private static bool TryParseExponent(ReadOnlySpan<byte> text, out Int128 exponent)
        {
            exponent = 0;
            if (text.IsEmpty)
            {
                return true;
            }

            if ((text[0] | 0x20) != 'e')
            {
                return false;
            }

            var negative = text.Length > 1 && text[1] == '-';
            var i = text.Length > 1 && text[1] is (byte)'-' or (byte)'+' ? 2 : 1;
            if (i == text.Length)
            {
                return false;
            }

            for (; i < text.Length; i++)
            {
                if (!char.IsAsciiDigit((char)text[i]))
                {
                    return false;
                }

                exponent = Int128.Min(exponent * 10 + (text[i] - '0'), ExponentCap);
            }

            exponent = negative ? -exponent : exponent;
            return true;
        }
    }
}
