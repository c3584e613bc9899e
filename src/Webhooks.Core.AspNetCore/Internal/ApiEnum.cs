using System.Text.Json;

namespace Webhooks.Core.AspNetCore.Internal;

/// <summary>
/// The wire names of an enum: UPPER_SNAKE_CASE as HPE COM writes them (<c>ENABLED</c>, <c>TEST_EVENT</c>),
/// read case-insensitively with or without underscores. Numbers are never accepted.
/// </summary>
/// <typeparam name="TEnum">The enum type.</typeparam>
internal static class ApiEnum<TEnum>
    where TEnum : struct, Enum
{
    private static readonly TEnum[] _values = Enum.GetValues<TEnum>();
    private static readonly string[] _names = Array.ConvertAll(_values, static v => JsonNamingPolicy.SnakeCaseUpper.ConvertName(v.ToString()));

    /// <summary>Gets the wire names, in declaration order.</summary>
    public static IReadOnlyList<string> Names => _names;

    /// <summary>Gets the accepted names, comma separated, for error messages.</summary>
    public static string AllowedValues { get; } = string.Join(", ", _names);

    /// <summary>Returns the wire name of <paramref name="value"/>.</summary>
    public static string Format(TEnum value)
    {
        var index = Array.IndexOf(_values, value);
        return index >= 0 ? _names[index] : JsonNamingPolicy.SnakeCaseUpper.ConvertName(value.ToString());
    }

    /// <summary>Parses a wire name, case-insensitively; <c>TEST_EVENT</c>, <c>test_event</c> and <c>TestEvent</c> are equal.</summary>
    public static bool TryParse(string? text, out TEnum value)
    {
        if (!string.IsNullOrWhiteSpace(text))
        {
            var compact = text.Trim().Replace("_", string.Empty, StringComparison.Ordinal);
            for (var i = 0; i < _values.Length; i++)
            {
                if (string.Equals(compact, _values[i].ToString(), StringComparison.OrdinalIgnoreCase))
                {
                    value = _values[i];
                    return true;
                }
            }
        }

        value = default;
        return false;
    }
}
