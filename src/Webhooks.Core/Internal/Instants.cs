namespace Webhooks.Core.Internal;

/// <summary>
/// Instants a duration from another, for durations an option may set as long as <see cref="TimeSpan"/> allows ("keep
/// forever"): they stop at the calendar's ends rather than overflow.
/// </summary>
internal static class Instants
{
    /// <summary>Gets <paramref name="at"/> plus <paramref name="duration"/>, or <see cref="DateTimeOffset.MaxValue"/> past it.</summary>
    public static DateTimeOffset Later(DateTimeOffset at, TimeSpan duration) =>
        DateTimeOffset.MaxValue - at > duration ? at + duration : DateTimeOffset.MaxValue;

    /// <summary>Gets <paramref name="at"/> less <paramref name="duration"/>, or <see cref="DateTimeOffset.MinValue"/> before it.</summary>
    public static DateTimeOffset Earlier(DateTimeOffset at, TimeSpan duration) =>
        at - DateTimeOffset.MinValue > duration ? at - duration : DateTimeOffset.MinValue;

    /// <summary>
    /// Gets <paramref name="at"/> rounded up to a whole second (UTC): an instant told to a caller in whole seconds (an
    /// HTTP date, a message) must not be earlier than the one meant.
    /// </summary>
    public static DateTimeOffset UpToSecond(DateTimeOffset at)
    {
        var past = at.UtcTicks % TimeSpan.TicksPerSecond;
        return past == 0 || DateTimeOffset.MaxValue.UtcTicks - at.UtcTicks < TimeSpan.TicksPerSecond
            ? at
            : new DateTimeOffset(at.UtcTicks - past + TimeSpan.TicksPerSecond, TimeSpan.Zero);
    }
}
