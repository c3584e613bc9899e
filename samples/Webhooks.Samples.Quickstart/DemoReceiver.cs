using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Webhooks.Core;

namespace Webhooks.Samples.Quickstart;

/// <summary>A receiver on 127.0.0.1 that verifies signatures; '/broken' always fails, '/flaky' fails its first six requests.</summary>
internal sealed class DemoReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, int> _counts = new();

    private DemoReceiver(WebApplication app) => _app = app;

    public ConcurrentDictionary<string, string> Secrets { get; } = new();

    public Uri BaseAddress { get; private set; } = null!;

    public string UrlFor(string path) => new Uri(BaseAddress, path).ToString();

    public int Count(string path) => _counts.GetValueOrDefault(path);

    public static async Task<DemoReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var receiver = new DemoReceiver(app);
        app.MapPost("/{name}", receiver.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver.BaseAddress = new Uri(address);
        return receiver;
    }

    private async Task<IResult> HandleAsync(HttpContext context, string name)
    {
        var path = "/" + name;
        var count = _counts.AddOrUpdate(path, 1, static (_, n) => n + 1);
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer);
        var body = buffer.ToArray();
        var verdict = "unsigned check skipped";
        if (Secrets.TryGetValue(path, out var secret))
        {
            var headers = context.Request.Headers;
            var result = new StandardWebhooksVerifier([secret]).Verify(headers["webhook-id"], headers["webhook-timestamp"], headers["webhook-signature"], body);
            verdict = result == SignatureVerificationResult.Valid ? "signature ok" : $"signature {result}";
        }

        var answer = path switch
        {
            "/broken" => 500,
            "/flaky" when count <= 6 => 503,
            _ => 200,
        };
        Console.WriteLine($"  <- {path,-12} #{count,-3} {answer}  {verdict,-15} {System.Text.Encoding.UTF8.GetString(body)}");
        return Results.StatusCode(answer);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
