using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace Webhooks.Core.Internal;

/// <summary>A literal of a filter expression, with every form evaluation compares it in computed up front.</summary>
internal sealed class FilterLiteral
{
    private FilterLiteral(FilterValueKind kind)
    {
        Kind = kind;
    }

    /// <summary>Gets the <c>null</c> literal.</summary>
    public static FilterLiteral Null { get; } = new(FilterValueKind.Null);

    /// <summary>Gets the <c>true</c> literal.</summary>
    public static FilterLiteral True { get; } = new(FilterValueKind.Boolean) { Boolean = true };

    /// <summary>Gets the <c>false</c> literal.</summary>
    public static FilterLiteral False { get; } = new(FilterValueKind.Boolean);

    /// <summary>Gets the literal's type.</summary>
    public FilterValueKind Kind { get; }

    /// <summary>Gets the text of a string literal.</summary>
    public string? Text { get; private init; }

    /// <summary>Gets the text of a string literal, or of a number literal as written, as UTF-8: to compare with JSON without decoding it.</summary>
    public byte[]? Utf8 { get; private init; }

    /// <summary>Gets the value of a number literal that is an integer in the range of <see cref="long"/>.</summary>
    public long? Int64 { get; private init; }

    /// <summary>Gets the value of a boolean literal.</summary>
    public bool Boolean { get; private init; }

    /// <summary>Gets the UTC ticks of a timestamp literal, or of a string literal holding an RFC 3339 time.</summary>
    public long? Instant { get; private init; }

    /// <summary>Creates a string literal.</summary>
    /// <param name="text">The text, unescaped.</param>
    /// <returns>The literal.</returns>
    public static FilterLiteral FromString(string text) => new(FilterValueKind.String)
    {
        Text = text,
        Utf8 = Encoding.UTF8.GetBytes(text),
        Instant = Rfc3339.TryParse(text.AsSpan(), out var ticks) ? ticks : null,
    };

    /// <summary>Creates a number literal from its source text.</summary>
    /// <param name="text">The number as written, for example <c>-1.5e3</c>.</param>
    /// <param name="literal">The literal, unless the number is not finite.</param>
    /// <returns><see langword="false"/> when the number overflows a <see cref="double"/>.</returns>
    public static bool TryFromNumber(ReadOnlySpan<char> text, [NotNullWhen(true)] out FilterLiteral? literal)
    {
        var culture = CultureInfo.InvariantCulture;
        if (!double.TryParse(text, NumberStyles.Float, culture, out var value) || !double.IsFinite(value))
        {
            literal = null;
            return false;
        }

        literal = new FilterLiteral(FilterValueKind.Number)
        {
            // Compared as written (exactly), unless both sides are integers in the range of long.
            Utf8 = Encoding.UTF8.GetBytes(text.ToString()),
            Int64 = long.TryParse(text, NumberStyles.AllowLeadingSign, culture, out var integer) ? integer : null,
        };
        return true;
    }

    /// <summary>Creates a timestamp literal.</summary>
    /// <param name="utcTicks">The instant, in UTC ticks.</param>
    /// <returns>The literal.</returns>
    public static FilterLiteral FromInstant(long utcTicks) => new(FilterValueKind.Timestamp) { Instant = utcTicks };
}
