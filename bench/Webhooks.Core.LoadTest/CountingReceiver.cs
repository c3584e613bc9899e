using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Webhooks.Core.LoadTest;

/// <summary>A minimal Kestrel receiver on loopback: answers 204, counts requests and notes when each message id first arrived.</summary>
internal sealed class CountingReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private long _count;
    private TaskCompletionSource? _target;
    private long _targetCount;

    private CountingReceiver(WebApplication app) => _app = app;

    public string Url { get; private set; } = string.Empty;

    public ConcurrentDictionary<string, long> FirstSeen { get; } = new(StringComparer.Ordinal);

    public bool RecordArrivals { get; set; }

    public static async Task<CountingReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var receiver = new CountingReceiver(app);
        app.MapPost("/hook", receiver.Receive);
        await app.StartAsync();
        receiver.Url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/hook";
        return receiver;
    }

    /// <summary>Returns a task that completes when <paramref name="count"/> more requests have arrived.</summary>
    public Task ExpectAsync(long count)
    {
        var target = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Interlocked.Exchange(ref _targetCount, Interlocked.Read(ref _count) + count);
        Volatile.Write(ref _target, target);
        if (Interlocked.Read(ref _count) >= Interlocked.Read(ref _targetCount))
        {
            target.TrySetResult();
        }

        return target.Task;
    }

    private async Task Receive(HttpContext context)
    {
        var arrived = Stopwatch.GetTimestamp();
        await context.Request.Body.CopyToAsync(Stream.Null);
        if (RecordArrivals && context.Request.Headers["webhook-id"].ToString() is { Length: > 0 } id)
        {
            FirstSeen.TryAdd(id, arrived);
        }

        if (Interlocked.Increment(ref _count) >= Interlocked.Read(ref _targetCount))
        {
            Volatile.Read(ref _target)?.TrySetResult();
        }

        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
