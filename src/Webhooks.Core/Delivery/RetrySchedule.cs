namespace Webhooks.Core;

/// <summary>
/// The delays between delivery attempts: exponential backoff with jitter, or an explicit list of delays, made longer
/// when the receiver's <c>Retry-After</c> asks for more. A pure type built from <see cref="RetryOptions"/>.
/// </summary>
/// <remarks>
/// <para>
/// Exponential: after the n-th failed attempt the delay is <see cref="RetryOptions.BaseDelay"/> ×
/// <see cref="RetryOptions.Factor"/>^(n-1), capped at <see cref="RetryOptions.MaxDelay"/>, then spread by a random
/// ±<see cref="RetryOptions.Jitter"/> and capped again: every delay lies within
/// [(1 - jitter) × d, min((1 + jitter) × d, MaxDelay)], so the cap is never exceeded and delays at the cap spread
/// below it only. The exponential schedule never gives up; <see cref="RetryOptions.MaxAge"/> ends a message.
/// </para>
/// <para>
/// Explicit (<see cref="RetryOptions.Schedule"/> set): the n-th entry is used as given, without jitter; after the last
/// entry there is no further attempt.
/// </para>
/// <para>
/// Thread-safe when built with the default <see cref="Random.Shared"/>; a supplied <see cref="Random"/> (seeded for
/// tests) must only be used by one thread at a time.
/// </para>
/// </remarks>
public sealed class RetrySchedule
{
    private readonly TimeSpan _baseDelay;
    private readonly double _factor;
    private readonly TimeSpan _maxDelay;
    private readonly double _jitter;
    private readonly TimeSpan[]? _schedule;
    private readonly TimeSpan _maxRetryAfter;
    private readonly Random _random;

    /// <summary>Initializes a new instance of the <see cref="RetrySchedule"/> class.</summary>
    /// <param name="options">The retry settings; read once, later changes are not seen.</param>
    /// <param name="random">The source of jitter; <see langword="null"/> for <see cref="Random.Shared"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of its range.</exception>
    public RetrySchedule(RetryOptions options, Random? random = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.BaseDelay, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Factor, 1.0);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxDelay, options.BaseDelay);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Jitter, 0.0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.Jitter, 1.0);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxRetryAfter, TimeSpan.Zero);
        if (options.Schedule is { } schedule)
        {
            foreach (var delay in schedule)
            {
                ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero, nameof(options.Schedule));
            }

            _schedule = [.. schedule];
        }

        _baseDelay = options.BaseDelay;
        _factor = options.Factor;
        _maxDelay = options.MaxDelay;
        _jitter = options.Jitter;
        _maxRetryAfter = options.MaxRetryAfter;
        _random = random ?? Random.Shared;
    }

    /// <summary>Gets the delay before the next attempt.</summary>
    /// <param name="failedAttempts">How many attempts have failed so far, including the one just made; at least 1.</param>
    /// <param name="retryAfter">
    /// The receiver's <c>Retry-After</c> (on 429 or 503), or <see langword="null"/>. The attempt waits at least as long as
    /// it asks, up to <see cref="RetryOptions.MaxRetryAfter"/>, and never less than the computed delay: a receiver
    /// answering <c>Retry-After: 0</c> (or a past date) to every attempt is not sent its retries at once, which would
    /// spend the failures that disable a webhook within seconds. It does not extend an exhausted explicit schedule.
    /// </param>
    /// <returns>The delay, or <see langword="null"/> when the explicit schedule is exhausted and the message should fail.</returns>
    public TimeSpan? NextDelay(int failedAttempts, TimeSpan? retryAfter = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(failedAttempts, 1);
        if (_schedule is not null && failedAttempts > _schedule.Length)
        {
            return null;
        }

        var computed = _schedule is not null ? _schedule[failedAttempts - 1] : Exponential(failedAttempts);
        if (retryAfter is { } wanted)
        {
            var asked = wanted > _maxRetryAfter ? _maxRetryAfter : wanted;
            return asked > computed ? asked : computed;
        }

        return computed;
    }

    private TimeSpan Exponential(int failedAttempts)
    {
        // A zero base stays zero even when the growth overflows to infinity (0 × ∞ is NaN).
        double ticks = _baseDelay == TimeSpan.Zero ? 0 : _baseDelay.Ticks * Math.Pow(_factor, failedAttempts - 1);
        double capped = Math.Min(ticks, _maxDelay.Ticks);
        if (_jitter > 0)
        {
            // Uniform in [-jitter, +jitter) of the capped delay; capping again keeps the promise that MaxDelay holds.
            capped *= 1 + (_jitter * ((2 * _random.NextDouble()) - 1));
            capped = Math.Min(capped, _maxDelay.Ticks);
        }

        return TimeSpan.FromTicks((long)capped);
    }
}
