using Microsoft.Extensions.Options;

namespace Webhooks.Core.Internal;

/// <summary>Checks the rules that tie several options together, which attributes cannot express.</summary>
internal sealed class WebhooksOptionsCrossFieldValidator : IValidateOptions<WebhooksOptions>
{
    public ValidateOptionsResult Validate(string? name, WebhooksOptions options)
    {
        var failures = new List<string>();
        var health = options.Health;
        if (health.WarningFailures > health.WindowSize)
        {
            failures.Add($"Health.WarningFailures ({health.WarningFailures}) must not exceed Health.WindowSize ({health.WindowSize}).");
        }

        if (!Enum.IsDefined(options.DefaultVerificationMode))
        {
            failures.Add($"DefaultVerificationMode ({(int)options.DefaultVerificationMode}) must be one of {WebhookValidator.VerificationModes}.");
        }

        var retry = options.Retry;
        RequirePositive(failures, "Retry.BaseDelay", retry.BaseDelay);
        RequirePositive(failures, "Retry.MaxAge", retry.MaxAge);
        if (retry.MaxDelay < retry.BaseDelay)
        {
            failures.Add($"Retry.MaxDelay ({retry.MaxDelay}) must be at least Retry.BaseDelay ({retry.BaseDelay}).");
        }

        if (retry.Schedule is { } schedule)
        {
            for (var i = 0; i < schedule.Count; i++)
            {
                if (schedule[i] < TimeSpan.Zero)
                {
                    failures.Add($"Retry.Schedule[{i}] ({schedule[i]}) must not be negative.");
                }
            }
        }

        if (retry.MaxRetryAfter < TimeSpan.Zero)
        {
            failures.Add($"Retry.MaxRetryAfter ({retry.MaxRetryAfter}) must not be negative.");
        }

        // What is waited on with a timer, or added to the clock on every claim, is bounded; Retention, Retry.MaxAge, the
        // retry delays and SecretGracePeriod may be as long as TimeSpan allows ("forever"): instants made from them stop
        // at the calendar's end (Instants).
        RequirePositive(failures, "Http.Timeout", options.Http.Timeout);
        if (options.Http.Timeout > MaxHttpTimeout)
        {
            failures.Add($"Http.Timeout ({options.Http.Timeout}) must be more than zero and at most 1 day.");
        }

        RequireTimerRange(failures, "Dispatcher.PollInterval", options.Dispatcher.PollInterval);
        RequireTimerRange(failures, "Dispatcher.HousekeepingInterval", options.Dispatcher.HousekeepingInterval);
        RequireTimerRange(failures, "Dispatcher.LeaseDuration", options.Dispatcher.LeaseDuration);
        RequirePositive(failures, "Retention", options.Retention);
        RequirePositive(failures, "EnableRateLimitPeriod", options.EnableRateLimitPeriod);
        if (options.SecretGracePeriod < TimeSpan.Zero)
        {
            failures.Add($"SecretGracePeriod ({options.SecretGracePeriod}) must not be negative.");
        }

        if (options.Dispatcher.LeaseDuration <= options.Http.Timeout)
        {
            failures.Add($"Dispatcher.LeaseDuration ({options.Dispatcher.LeaseDuration}) must exceed Http.Timeout ({options.Http.Timeout}), or a slow attempt would lose its lease.");
        }

        // Sent as they are in every request: what a header cannot carry would break (or add to) every one.
        if (!string.IsNullOrEmpty(options.ChallengeHeaderName) && !WebhookValidator.IsToken(options.ChallengeHeaderName))
        {
            failures.Add($"ChallengeHeaderName ('{options.ChallengeHeaderName}') must be a header name: letters, digits and !#$%&'*+-.^_`|~ only.");
        }

        if (options.Http.UserAgent?.Any(static c => c is not ('\t' or (>= ' ' and <= '~'))) == true)
        {
            failures.Add("Http.UserAgent must be printable ASCII (no CR, LF or other control characters, no accents): it is sent as a header.");
        }

        for (var i = 0; i < options.ReservedHeaderPrefixes.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(options.ReservedHeaderPrefixes[i]))
            {
                failures.Add($"ReservedHeaderPrefixes[{i}] must not be empty.");
            }
        }

        // The SSRF guard reads its allow-lists when the delivery client is built: a bad entry there failed every delivery,
        // and one the configuration binder could not convert was dropped.
        failures.AddRange(AddressAllowList.Problems(options.Http, "Http."));

        if (options.Dispatcher.MaxConcurrencyPerWebhook > options.Dispatcher.MaxConcurrency)
        {
            failures.Add($"Dispatcher.MaxConcurrencyPerWebhook ({options.Dispatcher.MaxConcurrencyPerWebhook}) must not exceed Dispatcher.MaxConcurrency ({options.Dispatcher.MaxConcurrency}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>
    /// The longest an attempt waits for its answer. A receiver that has not answered within a day will not, and the
    /// attempt holds a delivery slot and its lease meanwhile; the connection timeout, which the same option sets, takes at
    /// most <see cref="int.MaxValue"/> ms (24.8 days) and failed every delivery past it.
    /// </summary>
    internal static readonly TimeSpan MaxHttpTimeout = TimeSpan.FromDays(1);

    /// <summary>The longest a timer waits (<see cref="uint.MaxValue"/> − 1 ms, about 49.7 days), rounded down to whole days.</summary>
    internal static readonly TimeSpan MaxTimerDuration = TimeSpan.FromDays(49);

    private static void RequireTimerRange(List<string> failures, string name, TimeSpan value)
    {
        RequirePositive(failures, name, value);
        if (value > MaxTimerDuration)
        {
            failures.Add($"{name} ({value}) must be at most {MaxTimerDuration.TotalDays:0} days, the longest a timer waits.");
        }
    }

    private static void RequirePositive(List<string> failures, string name, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            failures.Add($"{name} ({value}) must be positive.");
        }
    }
}
