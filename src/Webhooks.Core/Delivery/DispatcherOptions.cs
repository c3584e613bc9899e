using System.ComponentModel.DataAnnotations;

namespace Webhooks.Core;

/// <summary>How the background dispatcher claims and sends messages.</summary>
public sealed class DispatcherOptions
{
    /// <summary>Gets or sets a value indicating whether this host runs a dispatcher. The default value is <see langword="true"/>.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Gets or sets how many messages one claim leases. The default value is 200.</summary>
    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 200;

    /// <summary>Gets or sets how many attempts run at once in this host. The default value is 64.</summary>
    /// <remarks>
    /// Claims run ahead of the attempts under way by up to half as many messages again, so that an attempt that
    /// finishes finds the next one waiting; a waiting message's lease is renewed before its attempt if need be.
    /// </remarks>
    [Range(1, 10_000)]
    public int MaxConcurrency { get; set; } = 64;

    /// <summary>Gets or sets how many attempts run at once against one webhook. The default value is 16.</summary>
    [Range(1, 10_000)]
    public int MaxConcurrencyPerWebhook { get; set; } = 16;

    /// <summary>Gets or sets how long a claim holds a message; it must exceed the HTTP timeout. The default value is 60 seconds.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Gets or sets the longest the dispatcher sleeps without a wake-up (a safety net for stores without notifications). The default value is 5 seconds.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Gets or sets how often housekeeping (expiry of held messages, retention purge) runs. The default value is 1 minute.</summary>
    public TimeSpan HousekeepingInterval { get; set; } = TimeSpan.FromMinutes(1);
}
