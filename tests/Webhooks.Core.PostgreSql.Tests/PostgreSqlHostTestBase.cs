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
    /// Starts an engine host on the test's schema that may deliver over HTTP to the loopback receiver;
    /// <paramref name="webhooks"/> changes the registrations (a transport, a clock, notification handlers).
    /// </summary>
    protected async Task<IHost> StartHostAsync(Action<WebhooksOptions>? configure = null, Action<IWebhooksBuilder>? webhooks = null)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        var engine = builder.Services
            .AddWebhooks(o =>
            {
                o.AllowHttp = true;
                o.Http.AllowedAddresses.Add("127.0.0.1");
                configure?.Invoke(o);
            })
            .UsePostgreSql(PostgreSqlTestDatabase.ConnectionString, o => o.SchemaName = Schema);
        webhooks?.Invoke(engine);

        var host = builder.Build();
        _hosts.Add(host);
        await host.StartAsync();
        return host;
    }
}
