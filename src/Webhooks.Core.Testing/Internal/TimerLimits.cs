namespace Webhooks.Core.Testing.Internal;

/// <summary>What a timer can wait: a longer wait is as good as an infinite one to a test.</summary>
internal static class TimerLimits
{
    /// <summary>The longest delay a timer accepts, about 49.7 days.</summary>
    public static readonly TimeSpan MaxDelay = TimeSpan.FromMilliseconds(uint.MaxValue - 1);

    /// <summary>
    /// Returns <paramref name="wait"/> as a timer takes it: a wait longer than <see cref="MaxDelay"/> becomes
    /// <see cref="Timeout.InfiniteTimeSpan"/>.
    /// </summary>
    public static TimeSpan Clamp(TimeSpan wait) => wait > MaxDelay ? Timeout.InfiniteTimeSpan : wait;
}
