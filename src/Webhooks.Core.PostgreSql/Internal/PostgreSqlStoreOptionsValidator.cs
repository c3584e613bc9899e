using Microsoft.Extensions.Options;

namespace Webhooks.Core.PostgreSql.Internal;

/// <summary>
/// Checks <see cref="PostgreSqlStoreOptions"/> when the host starts: the relay and the listener wait with timers, and a
/// value a timer cannot take would otherwise end them (or spin them) after the host is up.
/// </summary>
internal sealed class PostgreSqlStoreOptionsValidator : IValidateOptions<PostgreSqlStoreOptions>
{
    /// <summary>The longest a timer waits (<see cref="uint.MaxValue"/> − 1 ms, about 49.7 days), rounded down to whole days.</summary>
    internal static readonly TimeSpan MaxTimerDuration = TimeSpan.FromDays(49);

    public ValidateOptionsResult Validate(string? name, PostgreSqlStoreOptions options)
    {
        var failures = new List<string>();
        if (options.DataSource is null && string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            failures.Add("PostgreSqlStoreOptions.ConnectionString or PostgreSqlStoreOptions.DataSource must be set.");
        }

        RequireIdentifier(failures, nameof(options.SchemaName), options.SchemaName);
        if (options.NotificationChannel is not null)
        {
            RequireIdentifier(failures, nameof(options.NotificationChannel), options.NotificationChannel);
        }

        if (options.ConfigCacheMaxAge < TimeSpan.Zero)
        {
            failures.Add($"PostgreSqlStoreOptions.ConfigCacheMaxAge ({options.ConfigCacheMaxAge}) must not be negative; zero turns the cache off.");
        }

        RequireTimerRange(failures, nameof(options.ListenerReconnectDelay), options.ListenerReconnectDelay);
        RequireTimerRange(failures, nameof(options.OutboxPollInterval), options.OutboxPollInterval);
        if (options.OutboxBatchSize < 1)
        {
            failures.Add($"PostgreSqlStoreOptions.OutboxBatchSize ({options.OutboxBatchSize}) must be at least 1.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void RequireIdentifier(List<string> failures, string option, string? value)
    {
        if (!SqlIdentifier.IsPlain(value))
        {
            failures.Add($"PostgreSqlStoreOptions.{option} must be 1 to 63 letters, digits or underscores, starting with a letter or underscore; got '{value}'.");
        }
    }

    private static void RequireTimerRange(List<string> failures, string option, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            failures.Add($"PostgreSqlStoreOptions.{option} ({value}) must be positive.");
        }
        else if (value > MaxTimerDuration)
        {
            failures.Add($"PostgreSqlStoreOptions.{option} ({value}) must be at most {MaxTimerDuration.TotalDays:0} days, the longest a timer waits.");
        }
    }
}
