using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Webhooks.Core.PostgreSql.Tests;

// Usage: Webhooks.Core.PostgreSql.Tests.Dispatcher <connection string> <schema>
// Runs the dispatcher on the schema until the process is stopped or killed. Leases are short so that another
// dispatcher takes over quickly what a killed one held.
if (args.Length != 2)
{
    await Console.Error.WriteLineAsync("usage: Webhooks.Core.PostgreSql.Tests.Dispatcher <connection string> <schema>");
    return 2;
}

var builder = Host.CreateApplicationBuilder();
builder.Logging.ClearProviders();
builder.Services
    .AddWebhooks(o =>
    {
        o.AllowHttp = true;
        o.Http.AllowedAddresses.Add("127.0.0.1");
        DispatcherSettings.Apply(o);
    })
    .UsePostgreSql(args[0], o => o.SchemaName = args[1]);
using var host = builder.Build();
await host.RunAsync();
return 0;
