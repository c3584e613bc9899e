using System.ComponentModel.DataAnnotations;

namespace Webhooks.Core;

/// <summary>When failed attempts are retried and when a message is given up.</summary>
public sealed class RetryOptions
{
    /// <summary>Gets or sets the delay after the first failed attempt. The default value is 5 seconds.</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Gets or sets the factor each further delay grows by. The default value is 2.</summary>
    [Range(1.0, 100.0)]
    public double Factor { get; set; } = 2;

    /// <summary>Gets or sets the longest delay between attempts. The default value is 24 hours.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Gets or sets the random spread of each delay, as a fraction either way. The default value is 0.2 (±20 %).</summary>
    [Range(0.0, 1.0)]
    public double Jitter { get; set; } = 0.2;

    /// <summary>
    /// Gets or sets an explicit schedule of delays used instead of the exponential one; after its last entry
    /// the message fails. The default value is <see langword="null"/> (exponential).
    /// </summary>
    public IList<TimeSpan>? Schedule { get; set; }

    /// <summary>Gets or sets how long after creation a message is given up as undeliverable. The default value is 10 days.</summary>
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromDays(10);

    /// <summary>
    /// Gets or sets the longest <c>Retry-After</c> honoured on 429 and 503 answers: the next attempt waits the longer of
    /// the receiver's <c>Retry-After</c>, up to this, and the schedule's delay. The default value is 24 hours.
    /// </summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromHours(24);
}
