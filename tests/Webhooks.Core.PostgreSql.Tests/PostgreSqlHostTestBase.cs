using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Webhooks.Core.Testing;

namespace Webhooks.Core.PostgreSql.Tests;

/// <summary>Adds to each test a real receiver and engine hosts on the test's schema, all stopped afterwards.</summary>
public abstract class PostgreSqlHostTestBase : PostgreSqlTestBase
{
    private readonly List<IHost> _hosts = [];

    protected TestWebhookReceiver Receiver { get; private set; } = null!;

    [SetUp]
    public async Task StartReceiver() => Receiver = await TestWebhookReceiver.StartAsync();

    [TearDown]
    public async Task StopHostsAndReceiver()
    {
        foreach (var host in _hosts)
        {
            await host.StopAsync();
            host.Dispose();
        }

        _hosts.Clear();
        await Receiver.DisposeAsync();
    }

    /// <summary>
    /// Starts an engine host on the test's schema that may deliver over HTTP to the loopback receiver; <paramref name="services"/>
    /// may change its registrations last.
    /// </summary>
    protected async Task<IHost> StartHostAsync(Action<WebhooksOptions>? configure = null, Action<IServiceCollection>? services = null)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services
            .AddWebhooks(o =>
            {
                o.AllowHttp = true;
                o.Http.AllowedAddresses.Add(IPAddress.Loopback);
                configure?.Invoke(o);
            })
            .UsePostgreSql(PostgreSqlTestDatabase.ConnectionString, o => o.SchemaName = Schema);
        services?.Invoke(builder.Services);
        var host = builder.Build();
        _hosts.Add(host);
        await host.StartAsync();
        return host;
    }
}
