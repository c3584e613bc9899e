using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using Webhooks.Core;
using Webhooks.Core.PostgreSql;
using Webhooks.Core.PostgreSql.Internal;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Puts Webhooks.Core on PostgreSQL.</summary>
public static class PostgreSqlWebhooksBuilderExtensions
{
    /// <summary>
    /// Stores configs and messages in PostgreSQL, replacing any other <see cref="IWebhookStore"/>, and registers
    /// <see cref="PostgreSqlWebhookOutbox"/> with its background relay. The store builds and owns a data source for the connection string.
    /// </summary>
    /// <param name="builder">The builder returned by <c>AddWebhooks</c>.</param>
    /// <param name="connectionString">The connection string of the database.</param>
    /// <param name="configure">Changes the remaining settings, or <see langword="null"/>.</param>
    /// <returns>The builder, for chaining.</returns>
    [SuppressMessage("ApiDesign", "RS0026", Justification = "The overloads differ in a required parameter's type, so calls are never ambiguous.")]
    public static IWebhooksBuilder UsePostgreSql(this IWebhooksBuilder builder, string connectionString, Action<PostgreSqlStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        return builder.AddPostgreSqlStore(options =>
        {
            options.ConnectionString = connectionString;
            options.DataSource = null;
            configure?.Invoke(options);
        });
    }

    /// <summary>
    /// Stores configs and messages in PostgreSQL through <paramref name="dataSource"/>, replacing any other
    /// <see cref="IWebhookStore"/>, and registers <see cref="PostgreSqlWebhookOutbox"/> with its background relay.
    /// The caller keeps ownership of the data source.
    /// </summary>
    /// <param name="builder">The builder returned by <c>AddWebhooks</c>.</param>
    /// <param name="dataSource">The data source of the database.</param>
    /// <param name="configure">Changes the remaining settings, or <see langword="null"/>.</param>
    /// <returns>The builder, for chaining.</returns>
    [SuppressMessage("ApiDesign", "RS0026", Justification = "The overloads differ in a required parameter's type, so calls are never ambiguous.")]
    public static IWebhooksBuilder UsePostgreSql(this IWebhooksBuilder builder, NpgsqlDataSource dataSource, Action<PostgreSqlStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(dataSource);
        return builder.AddPostgreSqlStore(options =>
        {
            options.DataSource = dataSource;
            configure?.Invoke(options);
        });
    }

    private static IWebhooksBuilder AddPostgreSqlStore(this IWebhooksBuilder builder, Action<PostgreSqlStoreOptions> configure)
    {
        var services = builder.Services;
        services.AddOptions<PostgreSqlStoreOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PostgreSqlStoreOptions>, PostgreSqlStoreOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(static provider =>
        {
            var options = provider.GetRequiredService<IOptions<PostgreSqlStoreOptions>>().Value;
            options.SecretProtector ??= provider.GetService<IWebhookSecretProtector>();
            return new PostgreSqlWebhookStore(
                options, provider.GetService<TimeProvider>(), provider.GetService<ILogger<PostgreSqlWebhookStore>>());
        });
        services.RemoveAll<IWebhookStore>();
        services.AddSingleton<IWebhookStore>(static provider => provider.GetRequiredService<PostgreSqlWebhookStore>());
        services.RemoveAll<IDueMessageNotifier>();
        services.AddSingleton<IDueMessageNotifier>(static provider => provider.GetRequiredService<PostgreSqlWebhookStore>());
        services.TryAddSingleton<PostgreSqlWebhookOutbox>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, OutboxRelay>(static provider =>
        {
            var options = provider.GetRequiredService<IOptions<PostgreSqlStoreOptions>>().Value;
            return new OutboxRelay(
                provider.GetRequiredService<PostgreSqlWebhookStore>(),
                provider.GetRequiredService<IWebhookStore>(),
                provider.GetRequiredService<IWebhookPublisher>(),
                options.OutboxBatchSize,
                options.OutboxPollInterval,
                (ILogger?)provider.GetService<ILogger<OutboxRelay>>() ?? NullLogger.Instance);
        }));
        return builder;
    }
}
