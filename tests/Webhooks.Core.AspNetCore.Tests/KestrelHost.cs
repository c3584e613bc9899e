using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Webhooks.Core.AspNetCore.Tests;

/// <summary>A real Kestrel host on 127.0.0.1 with an ephemeral port and a client pointed at it.</summary>
internal sealed class KestrelHost : IAsyncDisposable
{
    private KestrelHost(WebApplication app, Uri address)
    {
        App = app;
        Address = address;
        Client = new HttpClient { BaseAddress = address };
    }

    public WebApplication App { get; }

    public Uri Address { get; }

    public HttpClient Client { get; }

    public static async Task<KestrelHost> StartAsync(Action<IServiceCollection> services, Action<WebApplication> map)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        services(builder.Services);
        var app = builder.Build();
        map(app);
        return await StartAsync(app);
    }

    /// <summary>Starts an app built elsewhere (a sample) that listens on an ephemeral port.</summary>
    public static async Task<KestrelHost> StartAsync(WebApplication app)
    {
        await app.StartAsync();
        return new KestrelHost(app, new Uri(app.Urls.First()));
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
