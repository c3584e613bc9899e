using System.Globalization;

namespace Webhooks.Core.Internal;

/// <summary>Words a value outside its enum, as a configuration value or a number bound to the enum can be.</summary>
internal static class EnumText
{
    /// <summary>Says what is wrong with <paramref name="value"/>, or <see langword="null"/> when the enum defines it.</summary>
    /// <param name="value">The value.</param>
    /// <param name="what">What it is, for the message: <c>state</c>, <c>message status</c>.</param>
    /// <returns>"The state 9 is not one of Enabled, Disabled.", or <see langword="null"/>.</returns>
    public static string? Undefined<T>(T value, string what)
        where T : struct, Enum =>
        Enum.IsDefined(value)
            ? null
            : string.Create(CultureInfo.InvariantCulture, $"The {what} {Convert.ToInt64(value, CultureInfo.InvariantCulture)} is not one of {string.Join(", ", Enum.GetNames<T>())}.");

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> when a filter of a query is outside its enum.</summary>
    /// <param name="value">The filter, or <see langword="null"/> for none.</param>
    /// <param name="what">What it is, for the message.</param>
    /// <param name="paramName">The query property, for example <c>query.State</c>.</param>
    public static void ThrowIfUndefined<T>(T? value, string what, string paramName)
        where T : struct, Enum
    {
        if (value is { } defined && Undefined(defined, what) is { } problem)
        {
            throw new ArgumentOutOfRangeException(paramName, defined, problem);
        }
    }
}
