using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Webhooks.Core.AspNetCore.Tests.Receiving;

/// <summary>A receiver on Kestrel at /hooks whose handler records the events it is handed; the clock is fake.</summary>
internal sealed class ReceiverHost : IAsyncDisposable
{
    private readonly List<ReceivedWebhookEvent> _handled = [];
    private KestrelHost _host = null!;

    private ReceiverHost(DateTimeOffset now) => Time = new FakeTimeProvider(now);

    public FakeTimeProvider Time { get; }

    /// <summary>Gets or sets the handler's answer to the next deliveries; by default 200.</summary>
    public Func<ReceivedWebhookEvent, IResult>? Answer { get; set; }

    public HttpClient Client => _host.Client;

    public IReadOnlyList<ReceivedWebhookEvent> Handled
    {
        get
        {
            lock (_handled)
            {
                return [.. _handled];
            }
        }
    }

    public static async Task<ReceiverHost> StartAsync(Action<WebhookReceiverOptions> configure, DateTimeOffset? now = null, Action<IServiceCollection>? services = null)
    {
        var receiver = new ReceiverHost(now ?? new DateTimeOffset(2025, 1, 31, 8, 0, 0, TimeSpan.Zero));
        receiver._host = await KestrelHost.StartAsync(
            collection =>
            {
                collection.AddSingleton<TimeProvider>(receiver.Time);
                services?.Invoke(collection);
            },
            app => app.MapWebhookReceiver("/hooks", configure, (webhookEvent, _) =>
            {
                lock (receiver._handled)
                {
                    receiver._handled.Add(webhookEvent);
                }

                return Task.FromResult(receiver.Answer?.Invoke(webhookEvent) ?? Results.Ok(new { handled = webhookEvent.Id }));
            }));
        return receiver;
    }

    public ValueTask DisposeAsync() => _host.DisposeAsync();
}
