using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
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
}
