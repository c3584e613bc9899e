using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
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
        var headers = context.Request.Headers;
        var signature = Secrets.TryGetValue(path, out var secret)
            ? new StandardWebhooksVerifier([secret]).Verify(headers["webhook-id"], headers["webhook-timestamp"], headers["webhook-signature"], body)
            : SignatureVerificationResult.NoValidSignature;
        var verdict = signature == SignatureVerificationResult.Valid ? "signed ok" : $"BAD SIGNATURE ({signature})";

        var answer = path switch
        {
            "/broken" => 500,
            "/flaky" when count <= 6 => 503,
            _ => 200,
        };
        var text = System.Text.Encoding.UTF8.GetString(body);
        var data = text[(text.IndexOf("\"data\":", StringComparison.Ordinal) + 7)..^1];
        Console.WriteLine($"  <- {path,-11} #{count,-3} answered {answer}  {verdict}  data {data}");
        return Results.StatusCode(answer);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
