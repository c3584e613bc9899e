using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NSubstitute;
using Npgsql;

namespace Webhooks.Core.PostgreSql.Tests;

public sealed class PostgreSqlWebhooksBuilderExtensionsTests
{
    [Test]
    public async Task UsePostgreSql_ConnectionString_ReplacesStoreAndRegistersNotifierOutboxAndRelay()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(Substitute.For<IWebhookStore>());
        services.AddSingleton(Substitute.For<IWebhookPublisher>());
        var builder = new TestBuilder(services);

        var returned = builder.UsePostgreSql("Host=127.0.0.1;Username=x", o => o.SchemaName = "custom");
        builder.UsePostgreSql("Host=127.0.0.1;Username=x", o => o.SchemaName = "custom");

        Assert.That(returned, Is.SameAs(builder));
        await using var provider = services.BuildServiceProvider();
        var store = provider.GetRequiredService<IWebhookStore>();
        Assert.That(store, Is.TypeOf<PostgreSqlWebhookStore>());
        Assert.That(provider.GetServices<IWebhookStore>().Count(), Is.EqualTo(1));
        Assert.That(provider.GetRequiredService<IDueMessageNotifier>(), Is.SameAs(store));
        Assert.That(((PostgreSqlWebhookStore)store).Schema, Is.EqualTo("\"custom\""));
        Assert.That(provider.GetRequiredService<PostgreSqlWebhookOutbox>(), Is.Not.Null);
        Assert.That(provider.GetServices<IHostedService>().Count(s => s.GetType().Name == "OutboxRelay"), Is.EqualTo(1));
    }

    [TestCase("Host=x;Username=u", 32, true)]
    [TestCase("Host=x;Username=u;Max Auto Prepare=0", 0, true)]
    [TestCase("Host=x;Username=u;MaxAutoPrepare=5", 5, true)]
    [TestCase("Host=x;Username=u;No Reset On Close=false", 32, false)]
    [TestCase("Host=x;Username=u;NoResetOnClose=false", 32, false)]
    public async Task ConnectionString_StoreDefaults_ApplyOnlyWhereItSaysNothing(string connectionString, int maxAutoPrepare, bool noResetOnClose)
    {
        await using var store = new PostgreSqlWebhookStore(new PostgreSqlStoreOptions { ConnectionString = connectionString });

        var used = new NpgsqlConnectionStringBuilder(store.DataSource.ConnectionString);

        Assert.That((used.MaxAutoPrepare, used.NoResetOnClose), Is.EqualTo((maxAutoPrepare, noResetOnClose)));
    }

    [TestCase("UseInMemoryStore")]
    [TestCase("AddStore")]
    public async Task StoreChosenAfterUsePostgreSql_OutboxRelayStaysIdleAndSaysSo(string replacement)
    {
        var logs = new LogRecorder();
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Logging.AddProvider(logs);
        var webhooks = builder.Services.AddWebhooks().UsePostgreSql("Host=127.0.0.1;Port=1;Username=app;Timeout=1");
        _ = replacement == "UseInMemoryStore" ? webhooks.UseInMemoryStore() : webhooks.AddStore<InMemoryWebhookStore>();
        using var host = builder.Build();

        await host.StartAsync();
        var relay = (BackgroundService)host.Services.GetServices<IHostedService>().Single(s => s.GetType().Name == "OutboxRelay");

        // A relay that ran would read the outbox until stopped; this one returns by itself.
        Assert.That(async () => await relay.ExecuteTask!.WaitAsync(TimeSpan.FromSeconds(20)), Throws.Nothing);
        await host.StopAsync();

        Assert.Multiple(() =>
        {
            Assert.That(host.Services.GetRequiredService<IWebhookStore>(), Is.TypeOf<InMemoryWebhookStore>());
            Assert.That(logs.Messages, Has.One.Contains("not the PostgreSQL store: the outbox relay does not run"));
        });
    }

    // Each of these used to start: the relay then polled in a tight loop (0), or its timer threw and it ended, and the
    // listener's loop ended at its first reconnect; a batch size of 0 failed without naming the option.
    [TestCase("OutboxPollInterval", 0)]
    [TestCase("OutboxPollInterval", -5)]
    [TestCase("OutboxPollInterval", 60 * 86400)]
    [TestCase("ListenerReconnectDelay", 0)]
    [TestCase("ListenerReconnectDelay", -5)]
    [TestCase("ConfigCacheMaxAge", -5)]
    [TestCase("OutboxBatchSize", 0)]
    [TestCase("SchemaName", 0)]
    [TestCase("SchemaName", 1)]
    [TestCase("NotificationChannel", 0)]
    [TestCase("NotificationChannel", 1)]
    public void UsePostgreSql_InvalidOption_FailsTheStartNamingIt(string option, int value)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddWebhooks(static o => o.Dispatcher.Enabled = false).UsePostgreSql("Host=127.0.0.1;Port=1;Username=app;Timeout=1", o =>
        {
            var seconds = TimeSpan.FromSeconds(value);
            switch (option)
            {
                case nameof(o.OutboxPollInterval): o.OutboxPollInterval = seconds; break;
                case nameof(o.ListenerReconnectDelay): o.ListenerReconnectDelay = seconds; break;
                case nameof(o.ConfigCacheMaxAge): o.ConfigCacheMaxAge = seconds; break;
                case nameof(o.OutboxBatchSize): o.OutboxBatchSize = value; break;
                // 1: a name read with its line's end (a secrets file), which a regular expression's $ let through.
                case nameof(o.SchemaName): o.SchemaName = value == 0 ? "webhooks; drop" : "webhooks\n"; break;
                default: o.NotificationChannel = value == 0 ? "1channel" : "webhooks_notify\n"; break;
            }
        });
        using var host = builder.Build();

        var error = Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.That(error!.Message, Does.Contain("PostgreSqlStoreOptions." + option));
    }

    // A console tool or a test disposing its container with `using`: the container refuses, in Dispose, a service that
    // only disposes asynchronously, which the store and the notification dispatcher did.
    [Test]
    public void UsePostgreSql_ContainerDisposedSynchronously_DisposesTheStoreWithoutThrowing()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddWebhooks().UsePostgreSql("Host=127.0.0.1;Port=1;Username=app;Timeout=1");
        var provider = services.BuildServiceProvider();
        var store = (PostgreSqlWebhookStore)provider.GetRequiredService<IWebhookStore>();
        _ = provider.GetRequiredService<IWebhookEndpoints>();
        _ = store.Subscribe(static () => { });

        Assert.That(provider.Dispose, Throws.Nothing);
        Assert.That(() => store.DataSource.OpenConnection(), Throws.InstanceOf<ObjectDisposedException>(), "the data source the store built is disposed");
    }

    [Test]
    public async Task UsePostgreSql_DefaultOptions_PassValidation()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddWebhooks(static o => o.Dispatcher.Enabled = false).UsePostgreSql("Host=127.0.0.1;Port=1;Username=app;Timeout=1");
        using var host = builder.Build();

        var options = host.Services.GetRequiredService<IOptions<PostgreSqlStoreOptions>>().Value;

        Assert.That(options.OutboxBatchSize, Is.EqualTo(100));
        await host.StartAsync();
        await host.StopAsync();
    }

    [Test]
    public async Task UsePostgreSql_DataSourceAndRegisteredProtector_UsesBoth()
    {
        var services = new ServiceCollection();
        var protector = Substitute.For<IWebhookSecretProtector>();
        services.AddSingleton(protector);
        await using var dataSource = NpgsqlDataSource.Create("Host=127.0.0.1;Username=x");

        new TestBuilder(services).UsePostgreSql(dataSource);

        await using var provider = services.BuildServiceProvider();
        var store = (PostgreSqlWebhookStore)provider.GetRequiredService<IWebhookStore>();
        Assert.That(store.DataSource, Is.SameAs(dataSource));
        Assert.That(provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<PostgreSqlStoreOptions>>().Value.SecretProtector, Is.SameAs(protector));
    }

    [Test]
    public void UsePostgreSql_NullArguments_Throw()
    {
        var builder = new TestBuilder(new ServiceCollection());

        Assert.That(() => builder.UsePostgreSql((string)null!), Throws.ArgumentNullException);
        Assert.That(() => builder.UsePostgreSql(" "), Throws.ArgumentException);
        Assert.That(() => builder.UsePostgreSql((NpgsqlDataSource)null!), Throws.ArgumentNullException);
        Assert.That(() => ((IWebhooksBuilder)null!).UsePostgreSql("Host=x"), Throws.ArgumentNullException);
    }

    private sealed class TestBuilder(IServiceCollection services) : IWebhooksBuilder
    {
        public IServiceCollection Services { get; } = services;
    }

    /// <summary>Keeps every message logged at Warning or above.</summary>
    private sealed class LogRecorder : ILoggerProvider, ILogger
    {
        public System.Collections.Concurrent.ConcurrentQueue<string> Messages { get; } = new();

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                Messages.Enqueue(formatter(state, exception));
            }
        }

        public void Dispose()
        {
        }
    }
}
